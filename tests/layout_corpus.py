"""A multilingual corpus of testimonial-like texts for the layout oracle test: (lang, text).

Right-to-left posts mixed with Latin brand names, numbers, brackets, mentions, hashtags and
URLs; Thai; Japanese, Chinese and Korean; Devanagari; emoji sequences; combining marks; long
words and URLs. Written for curator's tests; the people and brands are fictitious.
"""
from __future__ import annotations

HEBREW = [
    "השירות של Acme פשוט מצוין",
    "קניתי את Acme Pro לפני 3 חודשים והוא עדיין עובד מושלם!",
    "תודה ל-@acme על התמיכה המהירה (פחות מ-10 דקות)",
    "המחיר: 1,250.50 ₪ כולל משלוח #AcmeLove",
    "ממליצה בחום! https://acme.example/he/review?id=42",
    "צוות Bolt Bikes עשה עבודה נהדרת [באמת]",
    "גרסה 2.0 של האפליקציה מהירה פי 3",
    "\"הכי טוב שיש\" - כך כתבתי ב-2024",
    "שאלתי את @support_team והם ענו תוך 5 דקות 👍",
    "אין עליכם!!! #שירות_מעולה #Acme",
    "Acme הוא המוצר הכי טוב שקניתי השנה",
    "הזמנתי ביום ראשון (14/03) והגיע ביום שלישי",
    "שָׁלוֹם עֲלֵיכֶם, תודה רבה ל-Acme",
]

ARABIC = [
    "دراجة Bolt الكهربائية رائعة",
    "شكرا @acme على الخدمة الممتازة!",
    "السعر 1,250 ريال (تقريبا) مع التوصيل المجاني",
    "جربت Acme Cloud لمدة ٣ أشهر والنتيجة ممتازة",
    "أنصح به للجميع 100٪ #منتج_رائع",
    "رابط المراجعة: https://acme.example/ar/post/123",
    "الإصدار 2.5.1 أسرع بكثير [حسب تجربتي]",
    "خدمة العملاء في Acme رائعة جدا 😍👌",
    "«أفضل تطبيق» استخدمته في 2025",
    "منتج رائع جدا! أنصح به للجميع 100٪ شكرا @acme",
    "مَرْحَبًا بِكُمْ في Acme، شكرا جزيلا",
    "وصل الطلب رقم 45-B خلال يومين فقط",
]

PERSIAN = [
    "پشتیبانی Acme واقعا عالی بود",
    "قیمت ۱۲۰ هزار تومان (با تخفیف) خریدم",
    "ممنون از @acme_ir بابت ارسال سریع #رضایت",
    "نسخه 3.1 اپلیکیشن Bolt خیلی بهتر شده",
    "لینک: https://acme.example/fa?ref=twitter",
    "از خرید Acme Pro بسیار راضی هستم!",
]

URDU = [
    "Acme کی سروس بہت اچھی ہے",
    "میں نے ۵ سال سے Bolt استعمال کیا ہے (بالکل مطمئن)",
    "شکریہ @acme! #بہترین_سروس",
    "قیمت صرف 999 روپے تھی",
    "مزید معلومات: https://acme.example/ur",
]

# Added to each right-to-left sentence: what posts put beside their words.
RTL_ENDINGS = [" @acme", " #AcmeFans", " (2026)", " https://acme.example/r/7", " 42%", " [v1.2]"]

THAI = [
    "ขอบคุณทีมงานทุกคนที่ช่วยเหลืออย่างรวดเร็ว",
    "บริการของ Acme ดีมากครับ ประทับใจสุดๆ",
    "สั่งซื้อเมื่อวานได้รับของวันนี้เลย ส่งไวมาก",
    "แอปใช้งานง่ายมาก แนะนำให้ทุกคนลองใช้ #Acme",
    "ราคา 1,290 บาท คุ้มค่ามากๆ 👍",
    "พนักงานสุภาพและให้คำแนะนำที่เป็นประโยชน์มากค่ะ",
    "ขอบคุณทีมงานทุกคน",
    "ใช้มาสามเดือนแล้วยังไม่มีปัญหาอะไรเลย (@acme_th)",
]

JAPANESE = [
    "Acmeのサポートは本当に素晴らしいです。返信も早くて助かりました！",
    "「最高のアプリ」だと思います。毎日使っています。",
    "注文した商品が翌日に届きました（しかも無料配送）。",
    "ありがとうございます、@acme_jp さん！",
    "ちょっとしたトラブルがありましたが、すぐに解決してもらえました。",
    "使いやすさ、デザイン、価格、すべてに満足しています。#Acme",
    "ショッピングカートの操作がとてもスムーズでした。",
]

CHINESE = [
    ("zh", "Acme 的客服非常专业，问题很快就解决了。"),
    ("zh", "这款应用真的很好用！推荐给大家。#Acme"),
    ("zh", "价格是 199 元，性价比很高（包邮）。"),
    ("zh", "「太棒了」——我的第一反应。"),
    ("zh-TW", "謝謝 @acme 的快速回覆，服務一流！"),
    ("zh-TW", "包裝很精美，東西也很好用，下次還會再買。"),
]

KOREAN = [
    "Acme 고객 지원팀 정말 친절해요! 감사합니다.",
    "배송이 하루 만에 왔어요 (완전 빨라요) 👍",
    "가격은 29,900원인데 품질이 훌륭합니다. #추천",
    "앱이 직관적이라서 부모님도 쉽게 사용하세요.",
]

DEVANAGARI = [
    ("hi", "Acme की सेवा बहुत अच्छी है, धन्यवाद!"),
    ("hi", "क्षमा कीजिए, लेकिन यह उत्पाद शानदार है। 5/5"),
    ("hi", "मैंने @acme_india से ₹499 में खरीदा #बढ़िया"),
    ("mr", "ग्राहक सेवा उत्तम आहे, धन्यवाद Acme"),
    ("ne", "धेरै राम्रो सेवा, फेरि पनि किन्छु।"),
]

OTHERS = [
    ("en", "Family trip 👨‍👩‍👧‍👦 with our new Acme tent 🏕️"),
    ("en", "Thumbs up 👍🏽👍🏿 from both of us!"),
    ("en", "Flags: 🇯🇵 🇫🇷 🇧🇷 — shipped everywhere"),
    ("en", "Keycaps 1️⃣2️⃣3️⃣ and the rainbow 🏳️‍🌈 edition"),
    ("he", "שלום 👋🏼 Acme 🚀🚀🚀"),
    ("ar", "رائع 😍❤️‍🔥 جدا"),
    ("en", "Cafe\u0301 cre\u0300me bru\u0302le\u0301e, re\u0301sume\u0301 with decomposed accents"),
    ("pl", "Ślicznie dziękuję! Żółć, Łódź, ÅÄÖ"),
    ("vi", "Tiếng Việt: cảm ơn rất nhiều, dịch vụ tuyệt vời"),
    ("de", "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen sind super, danke Acme"),
    ("en", "Read it: https://acme.example/blog/2026/03/how-we-cut-our-build-times-from-nine-minutes-to-forty-seconds?utm_source=x"),
    ("en", "a" * 120),
    ("en", "Pneumonoultramicroscopicsilicovolcanoconiosis!!! #ThisIsAVeryLongHashtagThatNeverEndsAndKeepsGoingOnAcme"),
    ("he", "ראו כאן https://acme.example/very/long/path/segment/that/keeps/going/and/going"),
    ("en", "Switched to @acme and wow 🤩 setup took 5 minutes. #happycustomer https://acme.example/blog"),
    ("en", "Line one\nLine two with שלום inside\n\nLast line (123)"),
    ("ar", "سطر أول\nSecond line in English\nسطر ثالث 42"),
    ("en", "Numbers: 1,234.56 — 12:45 — 50% — $9.99 — 3/4"),
    ("ru", "Спасибо команде Acme, всё работает отлично!"),
    ("el", "Ευχαριστώ πολύ, εξαιρετική εξυπηρέτηση!"),
    ("en", "Tabs\tand\tWindows\r\nline ends\r\n"),
    ("he", "פסקה אחת\u2029second paragraph\u001cשלישית 3"),
]


def corpus() -> list[tuple[str, str]]:
    """Every (lang, text) of the corpus."""
    texts = []
    for lang, sentences in (("he", HEBREW), ("ar", ARABIC), ("fa", PERSIAN), ("ur", URDU)):
        for sentence in sentences:
            texts.append((lang, sentence))
            texts += [(lang, sentence + ending) for ending in RTL_ENDINGS[len(sentence) % 3::3]]
    texts += [("th", text) for text in THAI] + [("ja", text) for text in JAPANESE] + CHINESE
    texts += [("ko", text) for text in KOREAN] + DEVANAGARI + OTHERS
    return texts
