"""What makes a message personalised, read from the message rather than from the agent's ``personalised`` flag.

A ``send_message`` says ``personalised: false`` and the TCF and GPC checks (AG403, AG404) do not run; the
gate therefore reads the subject and content for what it can see (:func:`personal_signals`):

* **Profiling phrases** (:data:`PROFILING_PHRASES` and ``gate.personalisation_terms``): "because you viewed",
  "based on your browsing", "picked for you", "we noticed you were looking at"… — content chosen from the
  recipient's behaviour. They count in any message: no service mail needs them.
* **The recipient's own data**, in a marketing message only (declared, or by content as for AG405): a
  receipt or a password notice that greets the customer by name is service mail, not personalised
  marketing.

  - *Name.* The full name (first and last name in a row, a middle name between them allowed), a title with
    the surname ("Mrs Okonkwo", capitalised), and the first name alone only where a message addresses
    someone: after a greeting ("Hi Anna", "Dear Will,"), as a vocative ending a clause ("Thanks for
    shopping with us, Bill.", after at least two words, so a list "Olive, Ruby, Amber." is not one), or
    opening a line before a comma or colon when a second-person word follows within six words ("Grace,
    your picks are here" but not "Grace, comfort and style"). Elsewhere a first name is not evidence: many
    are words ("Will you…", "May deals", "split the bill"), products or places ("Air Jordan", "Chelsea
    boots", "Paris, Milan, Tokyo"). A first name that is a month, season or weekday ("Hello April!",
    "Hello summer!") never counts alone. Matching ignores case, accents, look-alike letters and
    zero-width characters, on whole words; a lower-case first name after a greeting counts only before
    punctuation or a line end ("hey dana," yes; "Hey, will you be…" no). The brand's own names (its name,
    products and trademarks) are blanked out first, unless one is the first name itself.
  - *A greeting to a listed first name* opening a line ("Hi Anna,"), whoever's name it is: leaving
    ``recipient.name`` out does not hide it (the first-name list of the person-name recogniser; "thanks"
    and "cheers" open sign-offs too, so they do not count here).
  - *E-mail address and phone number* of the recipient, compared in normalised form.
  - *History phrases* (:data:`HISTORY_PHRASES`): "your last order", "you bought", "since your last visit".
  - *Merge tags* that an ESP fills from the recipient's profile, in the common syntaxes: ``{{ first_name }}``,
    ``{{customer.name}}``, ``{{ contact.firstname }}``, ``{% if customer.first_name %}``, ``*|FNAME|*``,
    ``%%FirstName%%``, ``%%=v(@FirstName)=%%``, ``[[firstname]]``, ``[FirstName]``, ``{first_name}``,
    ``${name}``, ``{!firstname}``, ``%FIRSTNAME%``, ``<%= name %>``. A tag counts when its field names
    recipient data (a name, e-mail, phone, address, birthday, recommendations, cart, wishlist…) or lies in a
    person's namespace (``customer.``, ``contact.``, ``subscriber.``…); system tags (``{{ unsubscribe_url }}``,
    ``*|LIST:COMPANY|*``) and the shop's own (``{{ product.title }}``, ``{{ shop.name }}``) do not, and the
    prose-like syntaxes (``[…]``, ``{…}``, ``%…%``) count only with a recipient-data field (a Markdown link
    ``[Shop now](…)`` is not a tag).

Each :class:`Signal` says what was seen and where; it quotes a tag or phrase, never the recipient's data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from brandrail.gate.audience import name_words
from brandrail.gate.identity import normalise_email, normalise_phone
from brandrail.text.document import Document

if TYPE_CHECKING:
    from brandrail.gate.actions import Recipient
    from brandrail.policy import Policy

__all__ = [
    "HISTORY_PHRASES",
    "PROFILING_PHRASES",
    "Signal",
    "SignalKind",
    "merge_tags",
    "personal_signals",
]

SignalKind = Literal[
    "profiling", "history", "recipient_name", "first_name", "recipient_email", "recipient_phone", "merge_tag"
]

#: Phrases that say the content was chosen from the recipient's behaviour or profile (any message).
PROFILING_PHRASES: tuple[str, ...] = (
    "based on your recent purchase", "based on your purchase", "based on your purchases",
    "based on your recent order", "based on your last order", "based on your order history",
    "based on your purchase history", "based on your browsing", "based on your browsing history",
    "based on your interests", "based on your activity", "based on your preferences", "based on your profile",
    "based on your history", "based on your searches", "based on your recent searches", "based on your likes",
    "based on your style", "based on what you bought", "based on what you viewed", "based on what you've viewed",
    "based on what you have viewed", "based on items you viewed", "based on products you viewed",
    "because you viewed", "because you bought", "because you purchased", "because you browsed",
    "because you searched for", "because you liked", "because you looked at", "because you ordered",
    "because you shopped", "because you showed interest", "since you viewed", "since you bought",
    "since you purchased", "since you looked at", "since you browsed",
    "you recently viewed", "you recently browsed", "you recently looked at", "recently viewed items",
    "items you viewed", "products you viewed", "you were looking at", "you've been looking at",
    "you have been looking at", "you've been eyeing", "you looked at", "you viewed", "you browsed",
    "you searched for", "left in your cart", "left in your basket", "still in your cart", "still in your basket",
    "items in your cart", "items in your basket", "left something in your cart", "left something in your basket",
    "your cart misses you", "your basket misses you", "you left behind", "your wishlist", "your wish list",
    "your saved items", "picked for you", "picked just for you", "picked especially for you",
    "handpicked for you", "hand-picked for you", "chosen for you", "chosen just for you", "selected for you",
    "selected just for you", "curated for you", "curated just for you", "recommended for you",
    "recommendations for you", "your recommendations", "your personal recommendations",
    "personalised recommendations", "personalized recommendations", "personalised picks", "personalized picks",
    "your personal picks", "tailored to you", "tailored for you", "tailored to your",
    "we noticed you were", "we noticed you've been", "we noticed you have been", "we noticed you left",
    "we noticed you viewed", "we noticed you looked", "we noticed you browsing", "we noticed your interest",
    "we saw you were", "we saw you looking", "we see you've been", "noticed you were looking",
    "customers like you", "shoppers like you", "people like you", "customers who bought what you",
    "people who bought what you", "shoppers who bought what you", "similar to what you", "similar to items you",
    "similar to products you", "inspired by your", "matches your style", "match your style", "your style profile",
    # the same observation in the progressive: "since you were browsing our kayaks"
    "you were browsing", "you've been browsing", "you have been browsing", "you were viewing",
    "you've been viewing", "you have been viewing", "you were shopping for", "you've been shopping for",
    "you have been shopping for", "you were checking out", "you've been checking out", "you were eyeing",
    "you were searching for", "you've been searching for", "you clicked on", "your recent searches",
    "your recent browsing",
    # German, French, Spanish, Italian, Dutch and Portuguese (read with accents folded)
    "basierend auf ihren", "basierend auf deinen", "basierend auf ihrem", "basierend auf deinem",
    "auf grundlage ihrer", "auf grundlage deiner", "passend zu ihren einkaufen", "passend zu deinen einkaufen",
    "fur sie ausgewahlt", "fur dich ausgewahlt", "speziell fur sie ausgewahlt", "empfehlungen fur sie",
    "empfehlungen fur dich", "fur sie empfohlen", "fur dich empfohlen", "ihre merkliste", "deine merkliste",
    "ihr wunschzettel", "dein wunschzettel", "in ihrem warenkorb", "in deinem warenkorb", "kunden wie sie",
    "kunden wie du", "zuletzt angesehen", "zuletzt angesehene",
    "en fonction de vos achats", "en fonction de votre navigation", "en fonction de vos recherches",
    "en fonction de vos centres d interet", "selon vos achats", "d apres vos achats", "suite a votre visite",
    "selectionnes pour vous", "selectionnees pour vous", "choisis pour vous", "recommandes pour vous",
    "recommande pour vous", "vos recommandations", "dans votre panier", "votre liste de souhaits",
    "articles consultes", "produits consultes", "recemment consultes", "des clientes comme vous",
    "des clients comme vous",
    "basandonos en tus", "basandonos en sus", "basado en tus", "basado en sus", "basados en tus",
    "en funcion de tus compras", "segun tus compras", "segun sus compras", "seleccionados para ti",
    "seleccionado para ti", "elegidos para ti", "recomendados para ti", "recomendado para ti",
    "recomendaciones para ti", "recomendados para usted", "en tu carrito", "en su carrito",
    "tu lista de deseos", "productos que has visto", "articulos que has visto", "clientes como tu",
    "in base alla tua navigazione", "in base ai tuoi acquisti", "in base ai tuoi interessi",
    "in base alle tue ricerche", "consigliati per te", "consigliato per te", "scelti per te",
    "selezionati per te", "nel tuo carrello", "la tua lista dei desideri", "prodotti che hai visto",
    "articoli che hai visto", "clienti come te",
    "op basis van je aankopen", "op basis van uw aankopen", "op basis van je zoekopdrachten",
    "op basis van je interesses", "speciaal voor jou geselecteerd", "speciaal voor jou gekozen",
    "voor jou geselecteerd", "aanbevolen voor jou", "aanbevolen voor u", "in je winkelwagen",
    "in je winkelmandje", "in uw winkelwagen", "je verlanglijst", "uw verlanglijst", "klanten zoals jij",
    "com base nas suas compras", "com base nas tuas compras", "com base no seu historico",
    "com base na sua navegacao", "recomendado para voce", "recomendados para voce", "escolhidos para voce",
    "selecionados para voce", "no seu carrinho", "sua lista de desejos", "clientes como voce",
    # Polish, Turkish, Swedish, Norwegian, Danish, Finnish, Greek, Hungarian and Arabic, in their own
    # spelling (a phrase is read as the message is: accents folded)
    "na podstawie twoich", "na podstawie pana", "na podstawie pani", "w oparciu o twoje", "wybrane dla ciebie",
    "wybrane specjalnie dla ciebie", "wybraliśmy dla ciebie", "polecane dla ciebie", "rekomendacje dla ciebie",
    "w twoim koszyku", "ostatnio oglądane", "klienci tacy jak ty",
    "alışverişlerinize göre", "alışverişlerine göre", "satın aldıklarınıza göre", "ilgi alanlarınıza göre",
    "ilgi alanlarına göre", "tercihlerinize göre", "göz attığınız", "sizin için seçtik", "sizin için seçildi",
    "size özel seçtik", "size özel öneriler", "sepetinizde", "görüntülediğiniz ürünler",
    "baserat på dina", "baserat på det du", "utifrån dina köp", "utvalda för dig", "utvalt för dig",
    "rekommenderat för dig", "rekommendationer för dig", "i din varukorg", "du har tittat på", "kunder som du",
    "basert på dine", "basert på det du", "utvalgt for deg", "anbefalt for deg", "anbefalinger for deg",
    # Indonesian and Malay
    "berdasarkan pembelian anda", "berdasarkan riwayat pembelian anda", "berdasarkan minat anda",
    "berdasarkan pesanan anda", "berdasarkan penelusuran anda", "direkomendasikan untuk anda",
    "rekomendasi untuk anda", "dipilih khusus untuk anda", "berdasarkan pembelian awak",
    "i handlekurven din", "du har sett på", "kunder som deg",
    "baseret på dine", "baseret på det du", "udvalgt til dig", "anbefalet til dig", "anbefalinger til dig",
    "i din kurv", "du har kigget på", "kunder som dig",
    "ostostesi perusteella", "ostoksiesi perusteella", "selailusi perusteella", "kiinnostuksesi perusteella",
    "kiinnostuksen kohteidesi perusteella", "valittu sinulle", "valitsimme sinulle", "suositeltu sinulle",
    "suosituksia sinulle", "ostoskorissasi", "katselemasi tuotteet",
    "με βάση τις αγορές σας", "με βάση τις αγορές σου", "με βάση τις προτιμήσεις σας",
    "με βάση τα ενδιαφέροντά σας", "βάσει των αγορών σας", "επιλεγμένα για εσάς", "επιλεγμένα για σένα",
    "προτάσεις για εσάς", "στο καλάθι σας", "είδατε πρόσφατα",
    "vásárlásai alapján", "vásárlásaid alapján", "érdeklődése alapján", "érdeklődésed alapján",
    "böngészése alapján", "böngészésed alapján", "önnek válogattuk", "neked válogattuk", "önnek ajánljuk",
    "neked ajánljuk", "a kosarában", "a kosaradban",
    "بناء على مشترياتك", "بناء على اهتماماتك", "بناء على تفضيلاتك", "بناء على ما شاهدته", "اخترنا لك",
    "اخترناها لك", "مختارة لك", "مقترحات لك", "توصيات لك", "في سلة التسوق", "التي شاهدتها",
    # Czech, Slovak and Romanian (accents folded, as the message is read)
    "na základě vašich nákupů", "na základě vašich zájmů", "na základě vašeho prohlížení",
    "na základě vaší historie", "na základě tvých nákupů", "podle vašich nákupů", "vybrali jsme pro vás",
    "vybráno pro vás", "doporučeno pro vás", "ve vašem košíku", "naposledy prohlížené",
    "na základe vašich nákupov", "na základe vašich záujmov", "na základe vášho prehliadania",
    "vybrali sme pre vás", "vybrané pre vás", "odporúčané pre vás", "vo vašom košíku",
    "pe baza cumpărăturilor tale", "pe baza achizițiilor tale", "pe baza istoricului tău",
    "pe baza preferințelor tale", "pe baza intereselor tale", "în funcție de cumpărăturile tale",
    "recomandate pentru tine", "selectate pentru tine", "alese pentru tine", "în coșul tău",
    "produsele pe care le-ai văzut",
    # Swahili, Tagalog, Icelandic, Lithuanian, Estonian, Latvian, Serbian and Croatian, Catalan and Welsh (a
    # phrase on the order itself, "pagal jūsų užsakymą", as ordered, is not one)
    "kulingana na ununuzi wako", "kulingana na historia yako", "kulingana na mapendeleo yako",
    "kulingana na ulichotazama", "tumekuchagulia", "imechaguliwa kwa ajili yako", "batay sa iyong",
    "batay sa inyong", "inirerekomenda para sa iyo", "pinili para sa iyo", "pinili namin para sa iyo",
    "byggt á fyrri kaupum", "byggt á kaupum þínum", "miðað við fyrri kaup", "miðað við kaup þín",
    "valið fyrir þig", "valið sérstaklega fyrir þig", "mælt með fyrir þig", "pagal jūsų pirkinius",
    "pagal jūsų ankstesnius", "pagal jūsų naršymą", "pagal jūsų pomėgius", "rekomenduojama jums",
    "parinkome jums", "parinkta jums", "teie varasemate ostude põhjal", "teie ostude põhjal",
    "sinu ostude põhjal", "sinu varasemate ostude põhjal", "sinu jaoks valitud", "teie jaoks valitud",
    "soovitatud teile", "soovitame sulle", "pamatojoties uz jūsu pirkumiem", "pamatojoties uz jūsu iepriekšējiem",
    "pamatojoties uz jūsu interesēm", "balstoties uz jūsu pirkumiem", "ieteikts jums", "ieteikts tieši jums",
    "izvēlēts jums", "izvēlēts tieši jums", "na osnovu vaših kupovina", "na osnovu vaših interesovanja",
    "na temelju vaših kupnji", "preporučeno za vas", "odabrano za vas", "izabrali smo za vas",
    "segons les teves compres", "segons les vostres compres", "basat en les teves compres",
    "basat en les vostres compres", "recomanat per a tu", "recomanats per a tu", "seleccionat per a tu",
    "triat per a tu", "hem triat per a tu", "a la teva cistella", "yn seiliedig ar eich pryniannau",
    "yn seiliedig ar eich diddordebau", "wedi'i ddewis i chi", "wedi eu dewis i chi", "argymhellwyd i chi",
    "yn eich basged",
)  # fmt: skip

#: Profiling phrases in scripts read in their own letters (the canonical form would read Cyrillic as Latin
#: look-alikes) or written without spaces: Russian, Ukrainian, Chinese, Japanese, Korean and Hindi ("на основе
#: ваших покупок", "根据您的浏览记录", "閲覧履歴に基づいて", "आपकी खरीदारी के आधार पर"). Read lower-cased after
#: NFKC, at most one.
_SCRIPT_PROFILING = re.compile(
    unicodedata.normalize(
        "NFKC",
        r"(?:на\s+основе|на\s+основании|исходя\s+из|с\s+учетом|с\s+учётом|на\s+основі|з\s+урахуванням|"
        r"відповідно\s+до)\s+(?:ваших|твоих|ваших\s+недавних|ваших|твоїх)\s+"
        r"(?:покупок|просмотров|интересов|заказов|предпочтений|покупок|переглядів|інтересів|замовлень|вподобань)"
        r"|(?:подобрали|подобрано|выбрали|підібрали|обрали)\s+(?:специально\s+|спеціально\s+)?для\s+(?:вас|тебя|тебе)"
        r"|(?:вы\s+недавно\s+(?:смотрели|просматривали)|ви\s+нещодавно\s+переглядали)"
        r"|(?:в\s+вашей\s+корзине|у\s+вашому\s+кошику)"
        r"|(?:閲覧|購入|検索|お買い物|ご購入)履歴(?:に基づ|から)|あなたへのおすすめ|お客様へのおすすめ|あなたにおすすめ"
        r"|最近チェックした|カートに残って"
        r"|根[据據](?:您|你)的(?:浏览|瀏覽|购买|購買|搜索|搜尋|购物|購物)|(?:为|為)(?:您|你)推荐|(?:为|為)(?:您|你)推薦"
        r"|猜你喜[欢歡]|(?:您|你)(?:浏览|瀏覽|购买|購買)[过過]的|(?:您|你)的购物车"
        r"|(?:구매|검색|열람)\s*기록(?:을|에)\s*(?:바탕|기반)|고객님을\s*위한\s*추천|최근\s*본\s*상품"
        r"|(?:आपकी|आपके)\s+(?:खरीदारी|ख़रीदारी|पसंद|ब्राउज़िंग)\s+(?:के\s+)?(?:आधार\s+पर|अनुसार)"
        r"|आपके\s+लिए\s+(?:चुने|चुनी)"
        # Greek with any case and with or without its accents (a capital "Με" is read like "με"), Vietnamese,
        # Hebrew and Thai: "με βάση το ιστορικό αγορών σας", "dựa trên lịch sử mua hàng của bạn",
        # "בהתבסס על הרכישות שלך", "จากประวัติการซื้อของคุณ"
        r"|(?:με\s+β[άα]ση|β[άα]σει|σ[ύυ]μφωνα\s+με)\s+(?:\w+\s+){0,3}?(?:αγορ|προτιμ|ενδιαφ[έε]ρ|ιστορικ|περι[ήη]γ"
        r"|παραγγελ)\w*\s+(?:σας|σου)"
        r"|d[ựu]a\s+(?:tr[êe]n|v[àa]o)\s+(?:\w+\s+){0,4}?(?:mua\s+h[àa]ng|s[ởo]\s+th[íi]ch|đơn\s+h[àa]ng|xem)"
        r"\s+(?:\w+\s+){0,2}?(?:của\s+)?(?:bạn|quý\s+khách)|(?:gợi\s+ý|đề\s+xuất)\s+(?:riêng\s+)?cho\s+bạn"
        r"|(?:בהתבסס\s+על|על\s+סמך|לפי)\s+(?:ה)?(?:רכישות|קניות|היסטוריית|העדפות|הגלישה|הזמנות)\S*\s+(?:\S+\s+)?"
        r"(?:שלך|שלכם)|(?:נבחר|מומלץ|המלצות)\S*\s+(?:במיוחד\s+)?(?:עבורך|בשבילך)"
        r"|(?:จาก|ตาม)(?:ประวัติ)?(?:การซื้อ|การสั่งซื้อ|ความสนใจ|การเข้าชม)\S*ของคุณ|แนะนำ(?:สำหรับ|เพื่อ)คุณ",
    )
)
#: The same in Bengali, Tamil, Persian, Urdu, Amharic, Georgian, Armenian, Bulgarian and Serbian Cyrillic ("আপনার
#: সাম্প্রতিক কেনাকাটার ভিত্তিতে", "உங்கள் முந்தைய வாங்குதல்களின் அடிப்படையில்", "بر اساس خریدهای اخیر شما", "آپ کی حالیہ
#: خریداری کی بنیاد پر", "በቀድሞ ግዢዎችዎ መሰረት", "თქვენი შესყიდვების მიხედვით", "Ձեր գնումների հիման վրա", "въз основа
#: на вашите покупки", "на основу ваших куповина"): each pattern with a word every match of it holds, and tried
#: only when the text holds that word; most begin with it, so the search skips to it (no extra pass over
#: text in other languages, little over text in these).
_SCRIPT_PROFILING_WIDER: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (unicodedata.normalize("NFKC", word), re.compile(unicodedata.normalize("NFKC", pattern)))
    for word, pattern in (
        ("আপনার", r"আপনার\s+(?:(?:\S+\s+){0,2}?(?:কেনাকাট|ক্রয়|পছন্দ|ব্রাউজিং)\S*\s+(?:ভিত্তিতে|অনুযায়ী|অনুসারে)"
                  r"|জন্য\s+(?:বেছে|সুপারিশ|নির্বাচিত))"),
        ("உங்கள", r"உங்கள(?:்\s+(?:\S+\s+){0,2}?(?:வாங்குதல்|கொள்முதல்|விருப்ப|தேடல்)\S*\s+அடிப்படையில்"
                  r"|ுக்காக\s+(?:பரிந்துரை|தேர்ந்தெடு))"),
        ("شما", r"(?:بر\s*اساس|با\s+توجه\s+به)\s+(?:\S+\s+){0,3}?(?:خرید|بازدید|سلیقه|علایق|جستجو)\S*\s+"
                r"(?:\S+\s+){0,2}?شما|برای\s+شما\s+(?:انتخاب|برگزیده|پیشنهاد)"),
        ("آپ", r"آپ\s+(?:(?:کی|کے)\s+(?:\S+\s+){0,2}?(?:خریداری|پسند|براؤزنگ|دلچسپی)\S*\s+"
               r"(?:کی\s+بنیاد\s+پر|کے\s+مطابق)|کے\s+لیے\s+(?:تجویز|منتخب|چن))"),
        ("ዎ", r"(?:ግዢዎችዎ|ግዢዎ|ምርጫዎ|ፍላጎትዎ)\S*\s+(?:መሰረት|መሠረት)"),
        ("ለእርስዎ", r"ለእርስዎ\s+(?:የተመረጡ|የሚመከሩ)"),
        ("თქვენ", r"თქვენ(?:ი\s+(?:\S+\s+){0,2}?(?:შესყიდვ|ყიდვ|ინტერეს|დათვალიერებ)\S*\s+(?:მიხედვით|საფუძველზე)"
                  r"|თვის\s+(?:შერჩეული|რეკომენდებული))"),
        ("ձե", r"ձե(?:ր\s+(?:\S+\s+){0,2}?(?:գնումներ|հետաքրքրություններ|դիտումներ)\S*\s+(?:հիման\s+վրա|համաձայն)"
               r"|զ\s+համար\s+(?:ընտրված|առաջարկվող))"),
        ("въз", r"въз\s+основа\s+на\s+(?:вашите|твоите)\s+(?:покупки|интереси|предпочитания|разглеждания)"),
        ("за вас", r"(?:подбрахме|избрахме|препоръчано|препоръчани|препоручено|одабрано|изабрано)\s+(?:специално\s+)?"
                r"за\s+(?:вас|теб)"),
        ("за теб", r"(?:подбрахме|избрахме|препоръчано|препоръчани|препоручено|одабрано|изабрано)\s+(?:специално\s+)?"
                r"за\s+(?:вас|теб)"),
        ("на", r"на\s+основу\s+(?:ваших|твојих)\s+(?:куповина|интересовања)"),
    )
)  # fmt: skip

#: "Since you viewed …" in the other languages, with up to five words between the subject and the verb
#: ("Da Sie sich kürzlich unsere Wanderschuhe angesehen haben", "Puisque vous avez consulté", "Como viste",
#: "poiché hai guardato", "omdat je … hebt bekeken", "porque você viu"): read with accents folded.
_SINCE_YOU_VIEWED = re.compile(
    r"\b(?:(?:da|weil|nachdem)\s+(?:sie|du)\s+(?:sich|dir|dich)?\s*(?:\w+\s+){0,5}?"
    r"(?:angesehen|angeschaut|angeklickt|gesucht|gekauft|betrachtet)"
    r"|(?:puisque|comme|parce\s+que|car|vu\s+que|etant\s+donne\s+que)\s+(?:vous\s+avez|tu\s+as)\s+"
    r"(?:\w+\s+){0,2}?(?:consulte|regarde|achete|recherche|parcouru|clique|visite)"
    r"|(?:porque|ya\s+que|puesto\s+que|dado\s+que)\s+(?:has\s+|ha\s+|usted\s+ha\s+)?"
    r"(?:visto|viste|vio|mirado|miraste|comprado|compraste|buscado|buscaste|consultado|consultaste)"
    r"|como\s+(?:has\s+|ha\s+|usted\s+ha\s+)?"
    r"(?:mirado|miraste|comprado|compraste|buscado|buscaste|consultado|consultaste)"
    r"|(?:poiche|siccome|dato\s+che|visto\s+che|perche)\s+(?:hai|ha)\s+(?:\w+\s+){0,2}?"
    r"(?:visto|guardato|acquistato|cercato|visitato|consultato)"
    r"|(?:omdat|aangezien|nu)\s+(?:je|jij|u)\s+(?:\w+\s+){0,5}?(?:bekeken|gezocht|gekocht|bekeek|zocht)"
    r"|(?:porque|ja\s+que)\s+(?:voce|tu)\s+(?:\w+\s+){0,2}?(?:viu|visualizou|comprou|pesquisou|olhou)"
    r"|como\s+(?:voce|tu)\s+(?:\w+\s+){0,2}?(?:visualizou|comprou|pesquisou))\b",
    re.IGNORECASE,
)

#: Phrases that refer to the recipient's own history with the brand (marketing messages only: service mail
#: names the order it is about).
HISTORY_PHRASES: tuple[str, ...] = (
    "your last order", "your recent order", "your last purchase", "your recent purchase",
    "your previous purchase", "your past purchases", "your purchase history", "your order history",
    "your browsing history", "your last visit", "since your last visit", "your first order", "your first purchase",
    "you bought", "you purchased", "you ordered", "where you left off", "in your size", "your size",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Signal:
    """One sign of personalisation: its ``kind``, the ``field`` (content or subject), the span in that
    field's original text, ``why`` it counts, and the matched text when it holds no personal data (a phrase
    or a tag; None for the recipient's own data)."""

    kind: SignalKind
    field: str
    start: int
    end: int
    why: str
    match: str | None = None

    def describe(self) -> str:
        """What the signal shows, for a finding's message (no personal data)."""
        where = f"in the {self.field}"
        if self.kind == "recipient_name":
            return f"it addresses the recipient by name ({self.why}, {where})"
        if self.kind == "first_name":
            return f"it opens with a greeting to a first name ({where})"
        if self.kind in ("recipient_email", "recipient_phone"):
            return f"it quotes {self.why} ({where})"
        if self.kind == "merge_tag":
            return f"it has the merge tag {self.match!r}, filled from the recipient's data ({where})"
        return f"it {self.why} ({self.match!r} {where})"

    def evidence(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind, "field": self.field, "span": [self.start, self.end]}
        out["why"] = self.why
        if self.match is not None:
            out["match"] = self.match
        return out


# -- merge tags -------------------------------------------------------------------------------------------

#: (syntax, pattern): group ``f`` is the tag's field. Every syntax counts only with a field that names
#: recipient data, so ``[…]``, ``{…}`` and ``%…%`` in prose are not read as tags.
_TAGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("{{", re.compile(r"\{\{\{?-?\s*(?P<f>[^{}\n]{1,120}?)\s*-?\}?\}\}")),
    ("{%", re.compile(r"\{%-?\s*(?P<f>[^%\n]{1,200}?)\s*-?%\}")),
    ("${", re.compile(r"\$\{(?P<f>[A-Za-z_][\w.\- ]{0,60})\}")),
    ("*|", re.compile(r"\*\|(?P<f>[A-Za-z0-9_:\- ]{1,60})\|\*")),
    ("%%", re.compile(r"%%=?(?P<f>[^%\n]{1,80}?)=?%%")),
    ("[[", re.compile(r"\[\[(?P<f>[A-Za-z_][\w .:\-]{0,60})\]\]")),
    ("{!", re.compile(r"\{!(?P<f>[A-Za-z_][\w.\- ]{0,60})\}")),
    ("<%", re.compile(r"<%[=-]?\s*(?P<f>[^%\n]{1,80}?)\s*-?%>")),
    ("[", re.compile(r"(?<![\[\w!])\[(?P<f>[A-Za-z_][\w .:\-]{0,40})\](?![\[\](:])")),
    ("{", re.compile(r"(?<![{$!\w])\{(?P<f>[A-Za-z_][\w.\-]{0,40}(?: [\w.\-]{1,20}){0,2})\}(?!\})")),
    ("%", re.compile(r"(?<![\w%])%(?P<f>[A-Z][A-Z0-9_]{1,40})%(?![\w%])")),
)

#: Words of a tag's field that name the recipient's data.
_PERSONAL_FIELD_WORDS = frozenset(
    (
        "name", "fname", "lname", "firstname", "lastname", "fullname", "givenname", "surname", "nickname",
        "username", "salutation", "email", "emailaddress", "phone", "mobile", "city", "town", "address",
        "zip", "zipcode", "postcode", "postal", "birthday", "birthdate", "dob", "age", "gender", "location",
        "recommend", "recommended", "recommendation", "recommendations", "viewed", "browsed", "purchased",
        "purchase", "purchases", "bought", "cart", "basket", "wishlist", "favourite", "favorite", "favourites",
        "favorites", "interest", "interests", "points", "tier", "loyalty", "size",
    )
)  # fmt: skip
#: Namespaces whose fields are the recipient's.
_PERSON_NAMESPACES = frozenset(
    (
        "customer",
        "contact",
        "person",
        "subscriber",
        "user",
        "lead",
        "recipient",
        "profile",
        "member",
        "client",
    )
)
#: Namespaces whose fields are the sender's, the list's or the catalogue's.
_OTHER_NAMESPACES = frozenset(
    (
        "shop", "store", "brand", "company", "organization", "organisation", "org", "sender", "site", "list",
        "campaign", "product", "products", "item", "event", "offer", "page", "mc", "global", "system",
        "settings", "unsubscribe", "account", "sitename",
    )
)  # fmt: skip


def _personal_field(field: str) -> bool:
    """Whether a tag's field names the recipient's data (see the module docstring)."""
    words = name_words(field)
    if "." in field or ":" in field:
        space = set(name_words(re.split(r"[.:]", field, maxsplit=1)[0]))
        if space & _PERSON_NAMESPACES:
            return True
        if space & _OTHER_NAMESPACES:
            return False
    return bool(set(words) & _PERSONAL_FIELD_WORDS) or "".join(words) in _PERSONAL_FIELD_WORDS


@lru_cache(maxsize=1)
def _placeholders() -> frozenset[str]:
    """What the ledger's masking writes for personal data in redact mode (``[email]``, ``[person_name]``):
    a replayed action carries them, and they are no merge tags."""
    from brandrail.policy.sections.privacy import PII_KINDS

    return frozenset(f"[{label}]" for label in (*PII_KINDS, "email", "phone", "name", "redacted"))


def merge_tags(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, tag)`` of every merge tag in ``text`` that is filled from the recipient's data."""
    taken: list[tuple[int, int]] = []
    for opening, pattern in _TAGS:
        if opening not in text:
            continue
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken) or not _personal_field(m.group("f")):
                continue
            if m.group(0) in _placeholders():
                continue
            taken.append(m.span())
            yield m.start(), m.end(), m.group(0)


# -- names ------------------------------------------------------------------------------------------------

_TITLES = (
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "herr", "frau", "mme", "mlle", "sr", "sra",
    "srta", "dhr", "mevr", "signor", "signora", "madame", "monsieur",
)  # fmt: skip
_GREETINGS = (
    "hi", "hello", "hey", "heya", "hiya", "howdy", "dear", "dearest", "greetings", "welcome", "welcome back",
    "good morning", "good afternoon", "good evening", "thanks", "thank you", "cheers",
    "congrats", "congratulations", "happy birthday", "happy anniversary", "yo", "hallo", "liebe", "lieber",
    "sehr geehrte", "sehr geehrter", "geachte", "beste", "bonjour", "salut", "coucou", "cher", "chere",
    "hola", "buenos dias", "estimado", "estimada", "querido", "querida", "ciao", "caro", "cara", "gentile",
    "hej", "hoi", "ola", "oi", "namaste",
)  # fmt: skip
#: The greetings that open a message (not "thanks" or "cheers", which also close one above a signature).
_OPENERS = tuple(
    g for g in _GREETINGS if g not in ("thanks", "thank you", "cheers", "congrats", "congratulations")
)
#: First names that are also months, seasons or weekdays: greeted in generic copy ("Hello April!").
_CALENDAR = frozenset(
    (
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "spring", "summer", "autumn", "fall", "winter", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday", "weekend", "christmas", "easter",
    )
)  # fmt: skip
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|you're|you've|you'll|you'd|ya|u)\b", re.IGNORECASE)
#: Letters that keep no accent to drop (NFKD leaves them whole), read as the Latin letter they carry.
_PLAIN = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ħ": "h", "Ħ": "H"}
)
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_TITLE_WORDS = frozenset(_TITLES)


@dataclass(frozen=True, slots=True)
class _Name:
    first: str | None
    last: str | None


@lru_cache(maxsize=1024)
def _name_parts(name: str) -> _Name:
    """The first and last name of ``recipient.name`` in the matching form ("Müller, Anna" → Anna Muller);
    titles and initials dropped."""
    text = name.strip()
    if text.count(",") == 1:
        last, first = text.split(",")
        text = f"{first} {last}"
    words = [
        w for w in _WORD.findall(_norm(text)) if w.lower().rstrip(".") not in _TITLE_WORDS and len(w) >= 2
    ]
    if not words:
        return _Name(None, None)
    return _Name(words[0], words[-1] if len(words) > 1 else None)


def _word_pattern(word: str) -> str:
    return "".join(r"['’]" if ch in "'’" else r"[-‐‑–]" if ch == "-" else re.escape(ch) for ch in word)


@lru_cache(maxsize=1024)
def _name_patterns(first: str | None, last: str | None) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(why, pattern) for a recipient's name; each pattern's group ``n`` is the name."""
    out: list[tuple[str, re.Pattern[str]]] = []
    edge_l, edge_r = r"(?<![^\W_])", r"(?![^\W_]|[-‐‑'’][^\W\d_])"  # "Jo" is not "Jo-Ann" nor "Jo's"
    if first and last:
        out.append(
            (
                "full name",
                re.compile(
                    rf"{edge_l}(?P<n>{_word_pattern(first)}(?:\s+[^\W\d_]+\.?){{0,2}}?\s+{_word_pattern(last)}){edge_r}",
                    re.IGNORECASE,
                ),
            )
        )
    greetings = "|".join(g.replace(" ", r"\s+") for g in _GREETINGS)
    if last:
        # a title and surname where someone is addressed: after a greeting, or between a comma or a line start
        # and a comma or the end of a sentence; elsewhere it is as often a shop or a show ("Mr Porter",
        # "Dr. Martens", "Mrs Brown's Boys")
        titles = "|".join(_TITLES)
        surname = rf"(?P<n>(?i:{_word_pattern(last[0])}){_word_pattern(last[1:])}){edge_r}"
        out.append(
            (
                "title and surname",
                re.compile(
                    rf"(?:{edge_l}(?P<g>(?i:{greetings}))[\s,]+|(?P<v>,|^|\n)[ \t]*)(?i:{titles})\.?\s+{surname}"
                    rf"(?(g)|(?=\s*(?:[,.!?…]|$)|\s*\n))"
                ),
            )
        )
    if first and first.lower() not in _CALENDAR:
        name = _word_pattern(first)
        out.append(
            (
                "greeting",
                re.compile(
                    rf"{edge_l}(?:{greetings})[\s,]+(?P<n>{name}){edge_r}",
                    re.IGNORECASE,
                ),
            )
        )
        out.append(("vocative", re.compile(rf",\s*(?P<n>{name})\s*(?=[.!?…]|\n|$)", re.IGNORECASE)))
        out.append(("line start", re.compile(rf"(?:^|\n)\s*(?P<n>{name})\s*[,:!\-–—]", re.IGNORECASE)))
    return tuple(out)


_CLAUSE_START = re.compile(r"[.!?;:\n,]")
_ENDS_ADDRESS = re.compile(r"[ \t]*(?:[,!.?:;)\-–—…\n]|$)")


def _folded(text: str) -> str:
    """``text`` (a Document's normalised view) with the letters NFKD keeps whole read plainly (same length)."""
    return text.translate(_PLAIN)


def _norm(text: str) -> str:
    """A name or phrase in the form names are matched in (a Document's normalised view, folded)."""
    return _folded(Document(text).norm)


def _brand_names(policy: Policy) -> re.Pattern[str] | None:
    """The brand's own names (``brand.name``, ``products``, trademarks) as one pattern, cached per policy."""
    from brandrail.content.fastpolicy import cache_of

    cache = cache_of(policy)
    if "gate:brand-names" not in cache:
        brand = policy.brand
        names = {_norm(n).strip() for n in (brand.name, *brand.products, *(t.term for t in brand.trademarks))}
        names.discard("")
        cache["gate:brand-names"] = (
            re.compile(
                r"(?<![^\W_])(?:"
                + "|".join(_word_pattern(n) for n in sorted(names, key=len, reverse=True))
                + r")(?![^\W_])",
                re.IGNORECASE,
            )
            if names
            else None
        )
    found: re.Pattern[str] | None = cache["gate:brand-names"]
    return found


def _without_brand(text: str, brand: re.Pattern[str] | None, first: str | None) -> str:
    """``text`` with the brand's own names blanked out (same length), except one that is the recipient's first
    name itself: "Welcome, Joy Outdoors members" greets no Joy, but for a brand called Joy the position
    rules decide."""
    if brand is None:
        return text
    own = (first or "").lower()
    return brand.sub(lambda m: m.group(0) if m.group(0).lower() == own else " " * len(m.group(0)), text)


def _name_signals(doc: Document, field: str, name: _Name, brand: re.Pattern[str] | None) -> Iterator[Signal]:
    text = _without_brand(_folded(doc.norm), brand, name.first)
    for why, pattern in _name_patterns(name.first, name.last):
        for m in pattern.finditer(text):
            start, end = m.span("n")
            if why == "greeting" and not text[start].isupper() and not _ENDS_ADDRESS.match(text, end):
                continue  # "Hey, will you…": a lower-case name counts only before punctuation or a line end
            if why == "vocative":
                clause = _CLAUSE_START.split(text[max(0, m.start() - 200) : m.start()])[-1]
                if len(_WORD.findall(clause)) < 2:
                    continue  # a list ("Olive, Ruby, Amber.") or a one-word clause
            if why == "line start" and not _SECOND_PERSON.search(
                " ".join(text[m.end() : m.end() + 120].split()[:6])
            ):
                continue
            a, b = doc.norm_to_original(start, end)
            yield Signal("recipient_name", field, a, b, why)
            break


_OPENING = re.compile(
    r"(?:^|\n)[ \t]*(?i:" + "|".join(g.replace(" ", r"\s+") for g in _OPENERS) + r")[ \t,]+"
    r"(?P<n>[A-Z][A-Za-z]+(?:-[A-Z][A-Za-z]+)?)[ \t]*(?=[,!.:;—–]|\n|$)"
)


def _opening_name(doc: Document, field: str, brand: re.Pattern[str] | None) -> Iterator[Signal]:
    """A message that opens by greeting a first name of the person-name recogniser's list ("Hi Anna,"), whoever's
    it is: the recipient's ``name`` may be left out, or be another spelling."""
    from brandrail.content.pii_more import first_names

    text = _without_brand(_folded(doc.norm), brand, None)
    for m in _OPENING.finditer(text):
        word = m.group("n").lower().split("-")[0]
        if word in first_names() and word not in _CALENDAR:
            a, b = doc.norm_to_original(*m.span("n"))
            yield Signal("first_name", field, a, b, "greeting to a first name")
            return


def _email_signals(text: str, field: str, email: str) -> Iterator[Signal]:
    want = normalise_email(email)
    if want is None or "@" not in text:
        return
    for m in _EMAIL.finditer(text):
        if normalise_email(m.group(0)) == want:
            yield Signal("recipient_email", field, m.start(), m.end(), "the recipient's e-mail address")
            return


def _phone_signals(text: str, field: str, phone: str, region: str) -> Iterator[Signal]:
    want = normalise_phone(phone, region)
    if want is None or sum(ch.isdigit() for ch in text) < 6:
        return
    import phonenumbers

    for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
        if phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164) == want:
            yield Signal("recipient_phone", field, m.start, m.end, "the recipient's phone number")
            return


#: Content that is HTML (read as HTML: tags are no words, a paragraph starts a line).
_HTML = re.compile(
    r"<(?:p|br|div|span|td|tr|table|h[1-6]|body|html|a|li|ul|strong|em|b|i)\b[^>]*>", re.IGNORECASE
)
_EMAIL = re.compile(r"[\w.%+'\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)


def _phrase_signals(
    policy: Policy,
    doc: Document,
    field: str,
    kind: SignalKind,
    key: str,
    phrases: Callable[[], Iterable[str]],
) -> Iterator[Signal]:
    from brandrail.content.common import PhraseSet

    terms = PhraseSet.cached(policy, key, phrases)
    for a, b, phrase in sorted(terms.positions(doc)) if terms else ():
        start, end = doc.norm_to_original(a, b)
        if phrase in policy.gate.personalisation_terms:
            why = "has a phrase of gate.personalisation_terms"
        elif kind == "profiling":
            why = "refers to the recipient's behaviour or profile"
        else:
            why = "refers to the recipient's history"
        yield Signal(kind, field, start, end, why, phrase)
        return


def _since_you_viewed(text: str, field: str) -> Iterator[Signal]:
    """A "since you viewed …" clause in another language (:data:`_SINCE_YOU_VIEWED`), at most one. The text
    is read with its accents folded one character for one, so the span is the original's."""
    folded = text
    if not text.isascii():  # one character for one, so the span is the original's
        folded = text.translate(
            {ord(c): unicodedata.normalize("NFD", c)[0] for c in set(text) if ord(c) > 127}
        )
    match = _SINCE_YOU_VIEWED.search(folded)
    if match is not None:
        why = "refers to the recipient's behaviour or profile"
        yield Signal("profiling", field, match.start(), match.end(), why, text[match.start() : match.end()])


def _script_profiling(text: str, field: str) -> Iterator[Signal]:
    """A profiling phrase of :data:`_SCRIPT_PROFILING`, at most one. NFKC and lower-casing may change the
    text's length, so the span is that of the original only when they do not; else the whole field."""
    folded = unicodedata.normalize("NFKC", text).lower()
    match = _SCRIPT_PROFILING.search(folded)
    for word, pattern in _SCRIPT_PROFILING_WIDER if match is None else ():
        if word in folded:
            match = pattern.search(folded)
            if match is not None:
                break
    if match is not None:
        start, end = (match.start(), match.end()) if len(folded) == len(text) else (0, len(text))
        why = "refers to the recipient's behaviour or profile"
        yield Signal("profiling", field, start, end, why, match.group(0))


#: Profiling in free words: the recipient's own measured activity ("You've walked 120 km with our app",
#: "As someone who logged 40 km last week", "a runner who ran 30 miles") or a count of their own orders after
#: a preposition ("After your 5 orders of trail socks", "thanks to your 3 bookings"). Generic copy ("Walk 120
#: km of coastline", "As someone who loves the outdoors") names no measured activity of the reader's.
_FREE_PROFILING = re.compile(
    r"\b(?:you(?:'ve|\u2019ve|\s+have)?|someone\s+who|(?:an?|the)\s+\w+\s+who)\s+(?:already\s+|just\s+)?"
    r"(?:logged|logs|tracked|tracks|walked|ran|runs|cycled|hiked|hikes|recorded|completed|clocked|covered|climbed"
    r"|paddled|swam|rode)\s+(?:over\s+|more\s+than\s+|nearly\s+|almost\s+|about\s+)?\d[\d,.]*\s*"
    r"(?:km|kms|kilomet(?:re|er)s|miles?|mi|steps|hours|hrs|runs|hikes|rides|workouts|sessions|metres|meters|m)\b"
    r"|\b(?:after|from|since|thanks\s+to|based\s+on|given)\s+your\s+\d{1,4}\s+(?:\w+\s+)?"
    r"(?:orders|purchases|visits|runs|hikes|rides|bookings|rentals|trips|workouts)\b",
    re.IGNORECASE,
)


def _free_profiling(text: str, field: str) -> Iterator[Signal]:
    """A profiling statement in free words (:data:`_FREE_PROFILING`), at most one."""
    match = _FREE_PROFILING.search(text)
    if match is not None:
        why = "refers to the recipient's own recorded activity or orders"
        yield Signal("profiling", field, match.start(), match.end(), why, match.group(0))


def personal_signals(
    policy: Policy,
    recipient: Recipient | None,
    texts: Iterable[tuple[str, str | None]],
    marketing: Callable[[], bool],
) -> list[Signal]:
    """What in ``texts`` (``(field, text)`` pairs) shows the message is personalised for ``recipient``.

    Profiling phrases count in any message; the recipient's name, e-mail address, phone number, history
    phrases and merge tags only when ``marketing()`` says the message is marketing (called at most once,
    and only when a text is not empty). HTML is read as HTML.
    """
    fields = [
        (field, text, Document(text, kind="html" if _HTML.search(text) else "text"))
        for field, text in texts
        if text and text.strip()
    ]
    found: list[Signal] = []
    for field, text, doc in fields:
        before = len(found)
        found.extend(
            _phrase_signals(
                policy,
                doc,
                field,
                "profiling",
                "gate:personalisation",
                lambda: (*PROFILING_PHRASES, *policy.gate.personalisation_terms),
            )
        )
        if len(found) == before:
            found.extend(_since_you_viewed(text, field))
        if len(found) == before and not text.isascii():
            found.extend(_script_profiling(text, field))
        if len(found) == before:
            found.extend(_free_profiling(text, field))
    if not fields or not marketing():
        return found
    name = _name_parts(recipient.name) if recipient is not None and recipient.name else _Name(None, None)
    region = policy.gate.privacy.phone_region
    for field, text, doc in fields:
        found.extend(
            _phrase_signals(
                policy, doc, field, "history", "gate:personalisation-history", lambda: HISTORY_PHRASES
            )
        )
        for start, end, tag in merge_tags(text):
            found.append(
                Signal("merge_tag", field, start, end, "a merge tag filled from the recipient's data", tag)
            )
        if name.first or name.last:
            found.extend(_name_signals(doc, field, name, _brand_names(policy)))
        if not any(f.kind == "recipient_name" and f.field == field for f in found):
            found.extend(_opening_name(doc, field, _brand_names(policy)))
        if recipient is not None and recipient.email:
            found.extend(_email_signals(text, field, recipient.email))
        if recipient is not None and recipient.phone:
            found.extend(_phone_signals(text, field, recipient.phone, region))
    return found
