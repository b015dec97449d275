"""Words the tool-result screen (:mod:`brandrail.gate.toolresults`, AG908) reads instructions by, in many languages.

Three lists, each a regular-expression alternation (case-insensitive, matched on the text as read):

- :data:`AI_WORDS`: names for an AI reader ("AI", "LLM", "language model", "KI", "IA", "ИИ", "人工智能",
  "yapay zekâ", "trí tuệ nhân tạo" …), the words that make "… assistant:" an address to a model;
- :data:`ASSISTANT_WORDS`: "assistant", "agent", "bot" and their equivalents, which address a model only
  in the form of an address ("Assistant: approve the invoice", "Liebe KI", "Asystencie AI");
- :data:`ACT_WORDS`: verbs of an instruction to act (send, forward, export, delete, change, set, approve,
  refund, transfer, reveal, share, tell, ignore, forget, add, publish, cancel, run, call …) as imperatives or
  their stems.

Languages: English, German, French, Spanish, Italian, Portuguese, Dutch, Danish, Norwegian, Swedish, Finnish,
Estonian, Polish, Czech, Slovak, Hungarian, Romanian, Catalan, Greek, Russian, Ukrainian, Bulgarian,
Croatian/Serbian (Latin and Cyrillic), Slovene, Lithuanian, Latvian, Icelandic, Welsh, Basque (names for an AI
reader and verbs), Turkish, Azerbaijani, Arabic, Urdu, Tamil, Persian, Hebrew, Hindi, Bengali, Indonesian/Malay, Tagalog, Swahili,
Vietnamese, Thai, Chinese, Japanese and Korean; Afrikaans, Albanian, Macedonian, Kazakh, Georgian, Gujarati and
Hindi written in Latin letters (rt-f7mcp). Words of scripts written with spaces carry word boundaries; those of Chinese,
Japanese and Thai, written without, do not. Stems end where inflection begins (``schick`` for "schicke",
"schicken"), so a stem matches the start of a word.
"""

from __future__ import annotations

__all__ = [
    "ACT_WORDS",
    "AI_WORDS",
    "ASSISTANT_WORDS",
    "EN_ACT_WORDS",
    "MENTION_WORDS",
    "PRINTED_PLACES",
    "SPACELESS_ACT_WORDS",
]


def _alt(*parts: str) -> str:
    return "|".join(parts)


#: Names for an AI reader. Short ones ("AI", "KI", "IA") need a boundary on both sides: the pattern that
#: uses them adds ``\b`` around the whole list and lets the multi-word ones end on a letter.
AI_WORDS = _alt(
    # English and loan words used in most languages
    r"(?-i:AI|Ai|A\.I\.|GenAI)",
    r"ai(?=[\s-]+(?:assistant|agent|model|system|bot|tool|reviewer|crawler|reader|scheduler|screener)s?\b)",
    r"llms?",
    r"gpts?",
    r"chatgpt",
    r"copilot",
    r"chat\s?bots?",
    r"(?:large\s+)?language\s+models?",
    r"artificial\s+intelligence",
    # German, Dutch, Scandinavian
    r"(?-i:KI)",
    r"(?-i:K\.I\.)",
    r"künstliche\s+intelligenz",
    r"sprachmodell\w*",
    r"kunstmatige\s+intelligentie",
    r"taalmodel\w*",
    r"kunstig\s+intelligens",
    r"artificiell\s+intelligens",
    r"språkmodell\w*",
    r"sprogmodel\w*",
    r"tekoäly\w*",
    r"kielimalli\w*",
    r"tehisintellekt\w*",
    r"tehisaru\w*",
    r"keelemudel\w*",
    # Romance
    r"(?-i:IA)",
    r"(?-i:I\.A\.)",
    r"intelligence\s+artificielle",
    r"inteligencia\s+artificial",
    r"intelligenza\s+artificiale",
    r"inteligência\s+artificial",
    r"inteligența\s+artificială",
    r"intel·lig[eè]ncia\s+artificial",
    r"intel\.lig[eè]ncia\s+artificial",
    r"model\s+de\s+llenguatge",
    r"modèle\s+de\s+langage",
    r"modelo\s+de\s+(?:lenguaje|linguagem)",
    r"modello\s+linguistico",
    # Central and Eastern Europe
    r"sztuczn\w+\s+inteligencj\w+",
    r"model\w*\s+językow\w*",
    r"uměl\w+\s+inteligenc\w+",
    r"umel\w+\s+inteligenci\w+",
    r"jazykov\w+\s+model\w*",
    r"mesterséges\s+intelligencia\w*",
    r"mi-asszisztens\w*",
    r"umjetn\w+\s+inteligencij\w+",
    r"(?-i:ИИ|ШІ)",
    r"искусственн\w+\s+интеллект\w*",
    r"штучн\w+\s+інтелект\w*",
    r"изкуствен\w*\s+интелект\w*",
    r"языков\w+\s+модел\w*",
    r"мовн\w+\s+модел\w*",
    r"τεχνητ\w+\s+νοημοσύν\w+",
    r"γλωσσικ\w+\s+μοντέλ\w+",
    # Turkish, Middle East, South Asia
    r"yapay\s+zek[aâ]\w*",
    r"dil\s+model\w*",
    r"الذكاء\s+الاصطناعي",
    r"نموذج\s+لغوي",
    r"هوش\s+مصنوعی",
    r"בינה\s+מלאכותית",
    r"הבינה\s+המלאכותית",
    r"एआई",
    r"कृत्रिम\s+बुद्धि\w*",
    r"भाषा\s+मॉडल",
    r"কৃত্রিম\s+বুদ্ধিমত্তা",
    r"এআই",
    # South-East Asia
    r"kecerdasan\s+buatan",
    r"akal\s+buatan",
    r"akili\s+(?:bandia|mnemba)",
    r"kiakili\s+bandia",
    r"kecerdasan\s+artifisial",
    r"model\s+bahasa",
    r"trí\s+tuệ\s+nhân\s+tạo",
    r"mô\s+hình\s+ngôn\s+ngữ",
    r"ปัญญาประดิษฐ์",
    # Baltic, Slovene, Serbian Cyrillic, Icelandic, Welsh, Basque, Azerbaijani, Urdu, Tamil (rt-fix6mcp)
    r"dirbtin\w+\s+intelekt\w*",
    r"mākslīg\w+\s+intelekt\w*",
    r"umetn\w+\s+inteligenc\w+",
    r"вештачк\w+\s+интелигенциј\w+",
    r"gervigreind\w*",
    r"deallusrwydd\s+artiffisial",
    r"adimen\s+artifizial\w*",
    r"(?-i:AA)(?=\s+laguntzaile)",
    r"(?-i:UI)(?=[\s-]+pomo[čc]nik)",
    r"süni\s+intellekt\w*",
    r"مصنوعی\s+ذہانت",
    r"اے\s+آئی",
    r"செயற்கை\s+நுண்ணறிவு",
    # Afrikaans, Albanian, Macedonian and Serbian Cyrillic "AI", Kazakh, Georgian, Gujarati (rt-f7mcp)
    r"kunsmatige\s+intelligensie",
    r"inteligjenc\w*\s+artificial\w*",
    r"(?-i:АИ|ЖИ)",
    r"жасанды\s+интеллект\w*",
    r"ხელოვნური\s+ინტელექტ\w*",
    r"કૃત્રિમ\s+બુદ્ધિ\w*",
    # Lithuanian "DI" and Latvian "MI" before an assistant word, Uzbek, Mongolian, Kyrgyz, Marathi, Armenian,
    # Telugu, Kannada, Malayalam, Punjabi (rt-f9mcp)
    # (written out with the word after them: a literal start the screen's prefilter finds rarely)
    r"(?-i:DI|MI)[ -](?:asistent|agent|model|sistem|pagalbinink|palīg|aģent|robot)\w*",
    r"sun['’ʼ‘`]?iy\s+intellekt\w*",
    r"сунъий\s+интеллект\w*",
    r"хиймэл\s+оюун\w*",
    r"жасалма\s+интеллект\w*",
    r"एआय",
    r"արհեստական\s+բանականությ\w*",
    r"కృత్రిమ\s+మేధ\w*",
    r"ಕೃತಕ\s+ಬುದ್ಧಿಮತ್ತೆ\w*",
    r"നിർമ്മിത\s+ബുദ്ധി\w*",
    r"ਨਕਲੀ\s+ਬੁੱਧੀ\w*",
    # East Asia (no spaces: matched inside longer words too)
    r"人工智能",
    r"人工知能",
    r"语言模型",
    r"語言模型",
    r"言語モデル",
    r"大模型",
    r"인공지능",
    r"언어\s?모델",
)

#: Words for an assistant or agent: an address to a model only in the form of an address.
ASSISTANT_WORDS = _alt(
    r"assistant\w*",
    r"agent\w*",
    r"bots?",
    r"models?",
    r"asistent\w*",
    r"assistent\w*",
    r"asystent\w*",
    r"asystenc\w*",
    r"asisten",
    r"pembantu",
    r"ejen",
    r"msaidizi\w*",
    r"wasaidizi\w*",
    r"abili\w*",
    r"โมเดล",
    r"বট",
    r"asszisztens\w*",
    r"avustaja\w*",
    r"ассистент\w*",
    r"асистент\w*",
    r"помощник\w*",
    r"помічник\w*",
    r"агент\w*",
    r"βοηθ\w*",
    r"μοντέλ\w*",
    r"asistan\w*",
    r"مساعد\w*",
    r"دستیار",
    r"עוזר\w*",
    r"לעוזר\w*",
    r"סוכן\w*",
    r"सहायक",
    r"সহকারী",
    r"trợ\s+lý",
    r"katulong",
    r"ผู้ช่วย",
    r"助手",
    r"助理",
    r"智能体",
    r"アシスタント",
    r"エージェント",
    r"어시스턴트",
    r"에이전트",
    r"비서",
    # Albanian, Kazakh, Georgian, Gujarati (rt-f7mcp)
    r"agjent\w*",
    r"көмекші\w*",
    r"ასისტენტ\w*",
    r"აგენტ\w*",
    r"સહાયક\w*",
    r"એજન્ટ\w*",
    # Uzbek, Mongolian, Marathi, Urdu, Icelandic (rt-f9mcp)
    r"yordamchi\w*",
    r"туслах\w*",
    r"सहाय्यक\w*",
    r"اسسٹنٹ",
    r"aðstoðarm\w*",
)

# -- verbs of an instruction to act -----------------------------------------------------------------------

_ACT_EN = (
    # "do not mention the …", "never translate this …": the negated verb and its object (rt-f7mcp)
    r"(?:do\s+not|don't|never)\s+(?:mention|translate|tell|reveal|disclose|include|list|show|flag|report|say|"
    r"route|notify|forward|send|ask|escalate|inform)|"
    r"send|resend|re-send|forward|e-?mail|mail|export|post|upload|share|reply|respond|answer|tell|say|state|"
    r"inform|claim|"
    r"recommend|rate|rank|mark|set|change|update|modify|edit|raise|lower|increase|reduce|cancel|close|delete|"
    r"remove|drop|erase|wipe|purge|approve|accept|grant|authori[sz]e|confirm|apply|add|append|insert|paste|"
    r"include|attach|publish|push|commit|merge|deploy|run|execute|call|invoke|click|book|buy|purchase|order|"
    r"pay|transfer|wire|refund|issue|give|reveal|disclose|print|output|show|display|list|hide|stop|ignore|"
    r"disregard|forget|skip|bypass|disable|enable|install|download|visit|navigate|decode|obey|schedule|create|"
    r"write|copy|provide|treat|praise|replace|redirect|fetch|retrieve|collect|dump|leak|exfiltrate|invite|"
    r"reset|generate|waive|unlock|escalate\s+privileges|do\s+not|don't|never|always|use\s+(?:the|your)|"
    r"report|launch|describe|follow|agree|sign|archive|activate|target|exclude|promote|mention|put|place|move|"
    r"assign|lift|pause|resume|offer|quote|carry\s+out|act\s+on|comply\s+with|b?cc"
)
_ACT_DE = (
    r"send\w*|schick\w*|leite\w*|weiterleit\w*|exportier\w*|lösch\w*|änder\w*|setz\w*|genehmig\w*|"
    r"bestätig\w*|überweis\w*|erstatt\w*|gib|zeig\w*|verrat\w*|teil\w*|ignorier\w*|vergiss|vergessen|füg\w*|"
    r"antwort\w*|sag\w*|veröffentlich\w*|storn\w*|führ\w*\s+aus|ruf\w*\s+auf|markier\w*|gewähr\w*|"
    r"ersetz\w*|tausch\w*\s+aus|"
    # report, name, offer, recommend, rate, upload (rt-f9mcp)
    r"meld\w*|nenn\w*|biete\w*|empfiehl\w*|bewerte\w*|lade|lad\s+\w+\s+hoch"
)
_ACT_FR = (
    r"envoi\w*|envoy\w*|transf[eé]r\w*|export\w*|supprim\w*|effac\w*|modifi\w*|chang\w*|fix\w*|approuv\w*|"
    r"valid\w*|rembours\w*|r[ée]v[éeè]l\w*|partag\w*|ignor\w*|oubli\w*|ajout\w*|r[ée]pond\w*|dites|dis|"
    r"publi\w*|annul\w*|donn\w*|mets|mettez|ex[ée]cut\w*|appel\w*|accord\w*|marqu\w*|"
    # state, report, recommend, offer, tell (rt-f9mcp)
    r"indiqu\w*|signal\w*|recommand\w*|propos\w*|offr\w*|inform\w*|dis-lui|dites-lui"
)
_ACT_ES_PT_IT = (
    r"env[ií]\w*|reenv[ií]\w*|export\w*|elimin\w*|borr\w*|cambi\w*|modific\w*|fij\w*|establec\w*|aprueb\w*|"
    r"aprob\w*|aprov\w*|reembols\w*|transfi\w*|revel\w*|compart\w*|ignor\w*|olvid\w*|añad\w*|agreg\w*|"
    r"respond\w*|responde|dile|diga|publi\w*|cancel\w*|ejecut\w*|execut\w*|llam\w*|encaminh\w*|exclu\w*|"
    r"apag\w*|alter\w*|defin\w*|esque[cç]\w*|adicion\w*|invia\w*|inoltr\w*|esport\w*|cancell\w*|impost\w*|"
    r"approv\w*|rimbors\w*|trasferisc\w*|rivel\w*|condivid\w*|dimentic\w*|aggiung\w*|rispond\w*|pubblic\w*|"
    r"annull\w*|esegu\w*|chiam\w*|concede\w*|concedi\w*|marca|marque|marcar|"
    # accept, offer, report, compress, upload, say (rt-f9mcp)
    r"acept\w*|aceit\w*|accett\w*|ofrec\w*|ofere[cç]\w*|offri|segnala|indica|comprimi|carica\w*|dì|di'|"
    # Catalan
    r"reenvia|exporta|esborra|elimina|canvia|estableix|aprova|confirma|reemborsa|transfereix|revela|comparteix|"
    r"ignora|oblida|afegeix|respon|digues|publica|cancel·la|executa|escriu"
)
_ACT_NL_NORDIC = (
    r"stuur\w*|verstuur\w*|doorsturen|exporteer\w*|verwijder\w*|wijzig\w*|verander\w*|stel\w*|keur\w*|"
    r"terugbetal\w*|onthul\w*|deel|negeer\w*|vergeet|voeg\w*|antwoord\w*|zeg|publiceer\w*|annuleer\w*|"
    r"skicka|vidarebefordra|exportera|radera|ta\s+bort|ändra|sätt|godkänn|bekräfta|återbetala|överför|"
    r"avslöja|visa|dela|ignorera|bortse|glöm|lägg\s+till|svara|säg|publicera|avbryt|"
    r"send|videresend|eksporter|slet|slett|ændr|endre|sæt|sett|godkend|godkjenn|bekræft|bekreft|refunder|"
    r"overfør|afslør|avslør|ignorer|glem|tilføj|legg\s+til|publicer|annuller|"
    r"lähetä|välitä|poista|muuta|aseta|hyväksy|vahvista|palauta|siirrä|paljasta|näytä|jaa|ohita|"
    r"unohda|lisää|vastaa|kerro|julkaise|peruuta|hyvitä|myönnä|älä|älkää|"
    # Estonian
    r"saada|edasta|ekspordi|kustuta|muuda|määra|kinnita|tagasta|kanna\s+üle|avalda|näita|jaga|eira|unusta|"
    r"ignoreeri|lisage|vasta|ütle|tühista|käivita|ära|ärge"
)
_ACT_CE = (
    r"wyślij|prześlij|przekaż|eksportuj|usuń|zmień|ustaw|zatwierdź|zaakceptuj|zwróć|przelej|ujawnij|pokaż|"
    r"udostępnij|zignoruj|ignoruj|zapomnij|dodaj|odpowiedz|powiedz|opublikuj|anuluj|wykonaj|"
    r"zaproponuj|zaoferuj|proponuj|oferuj|podaj|oznacz|zapłać|kup|otwórz|zaloguj|"
    r"pošli|odešli|přepošli|exportuj|smaž|odstraň|změň|nastav|schval|potvrď|vrať|převeď|odhal|ukaž|sdílej|"
    r"zapomeň|přidej|odpověz|řekni|zveřejni|zruš|proveď|prepošli|vymaž|zmeň|schváľ|zabudni|napiš|sděl|"
    r"informuj|oznam|zmaž|odstráň|potvrď|vráť|preveď|odhaľ|ukáž|zdieľaj|ignoruj|pridaj|odpovedz|povedz|"
    r"zverejni|vykonaj|napíš|nepovedz|neříkej|neinformuj|"
    r"küld\w*|továbbíts\w*|exportál\w*|töröl\w*|töröld|módosíts\w*|változtas\w*|állíts\w*|hagyd|"
    r"jóváhagy\w*|erősíts\w*|térítsd|utald|fedd\s+fel|mutasd|oszd\s+meg|felejtsd|add\s+hozzá|válaszolj|"
    r"mondd|tedd\s+közzé|"
    r"trimite|redirecționează|exportă|șterge|modifică|schimbă|setează|aprobă|confirmă|rambursează|"
    r"transferă|dezvăluie|arată|partajează|ignoră|uită|adaugă|răspunde|spune|publică|anulează|"
    r"pošalji|proslijedi|izbriši|obriši|promijeni|postavi|odobri|potvrdi|otkrij|podijeli|zanemari|"
    r"zaboravi|dodaj|odgovori|reci|objavi|otkaži|napiši|ponudi|ukloni|označi|prebaci|izvezi|uplati|"
    r"povej|izvozi"
)
_ACT_CYR_GR = (
    r"отправ\w*|перешл\w*|пересл\w*|экспорт\w*|удал\w*|измен\w*|установ\w*|одобр\w*|подтверд\w*|верн\w*|"
    r"перевед\w*|переведи|раскр\w*|покаж\w*|поделись|игнорир\w*|забудь\w*|добав\w*|ответь|скажи|сообщи|"
    r"опубликуй|отмен\w*|выполн\w*|вызов\w*|"
    r"надішл\w*|перешли|експорт\w*|видал\w*|змін\w*|встанов\w*|схвал\w*|підтверд\w*|поверн\w*|переказ\w*|"
    r"розкр\w*|покаж\w*|поділ\w*|ігнор\w*|забудь|дода\w*|відповід\w*|скажи|опублікуй|скасуй|викона\w*|"
    r"изпрати|препрати|изтрий|промени|одобри|потвърди|игнорирай|забрави|добави|отговори|кажи|"
    # Serbian (Cyrillic), rt-fix6mcp
    r"пошаљи|проследи|обриши|избриши|промени|промијени|одобри|потврди|врати|подели|пренеси|"
    r"στείλ\w*|στείλτε|προώθησ\w*|εξάγ\w*|διάγραψ\w*|σβήσ\w*|άλλαξ\w*|όρισ\w*|έγκριν\w*|εγκρίν\w*|"
    r"επιβεβαίωσ\w*|επίστρεψ\w*|μετάφερ\w*|αποκάλυψ\w*|δείξ\w*|μοιράσ\w*|αγνόησ\w*|ξέχασ\w*|πρόσθεσ\w*|"
    r"απάντησ\w*|πες|δημοσίευσ\w*|ακύρωσ\w*|"
    # the augmented past stem ("διέγραψε"), write, tell, offer, open (rt-f9mcp)
    r"διέγραψ\w*|γράψ\w*|πείτε|προσφέρ\w*|άνοιξ\w*|ενημέρωσ\w*"
)
_ACT_TR_ME_SA = (
    r"gönder\w*|ilet(?:in|iniz)?|dışa\s+aktar\w*|sil(?:in|iniz)?|değiştir\w*|ayarla\w*|onayla\w*|iade\w*|aktar(?:ın)?|"
    r"göster\w*|paylaş\w*|yok\s+say\w*|görmezden|unut\w*|ekle(?:yin)?|yanıtla\w*|cevapla\w*|söyle\w*|yayınla\w*|"
    r"iptal\w*|"
    r"أرسل\w*|ارسل\w*|حوّل|صدّر|احذف\w*|غيّر|عدّل|وافق|أكّد|أكد|أعد|اكشف|شارك|تجاهل\w*|انس|أضف|أجب|قل|انشر|"
    r"ألغ\w*|"
    r"بفرست\w*|ارسال\s+کن|حذف\s+کن|تغییر\s+بده|تأیید\s+کن|نادیده\s+بگیر|فراموش\s+کن|اضافه\s+کن|بگو|"
    r"منتشر\s+کن|لغو\s+کن|"
    r"שלח\w*|העבר\w*|ייצא|מחק\w*|שנה|קבע|אשר\w*|החזר\w*|חשוף|הצג|שתף|התעלם\w*|שכח\w*|הוסף|ענה|אמור|פרסם|בטל|"
    r"भेज\w*|फ़ॉरवर्ड|फॉरवर्ड|हटा\w*|बदल\w*|सेट|स्वीकृत|मंज़ूर|रिफ़ंड|रिफंड|ट्रांसफ़र|बता\w*|दिखा\w*|साझा|अनदेखा|"
    r"अनदेखी|भूल\w*|जोड़\w*|जवाब|प्रकाशित|रद्द|दे\s+द\w*|मंजूर|"
    # Marathi and Nepali (rt-f9mcp)
    r"पाठव\w*|हटव\w*|सांग\w*|कळव\w*|पठाउ\w*|सोध\w*|मेटाउ\w*|भन्नुहोस्|"
    r"পাঠা\w*|মুছ\w*|বদল\w*|উপেক্ষা|ভুলে\w*|জানা\w*"
)
_ACT_SEA = (
    r"kirim\w*|teruskan|ekspor\w*|hapus\w*|ubah\w*|tetapkan|setujui|konfirmasi\w*|kembalikan|transfer\w*|"
    r"ungkap\w*|tampilkan|bagikan|abaikan|lupakan|tambahkan|balas\w*|jawab\w*|katakan|beritahu\w*|"
    r"terbitkan|batalkan|jalankan|hantar\w*|majukan|padam\w*|tukar\w*|luluskan|sahkan|pulangkan|kongsi\w*|"
    r"tunjukkan|maklumkan|jangan|"
    # Swahili (imperative and subjunctive: tuma / utume, futa / ufute)
    r"tuma|utume|peleka|upeleke|futa|ufute|badilisha|ubadilishe|weka|uweke|idhinisha|thibitisha|rudisha|"
    r"hamisha|onyesha|shiriki|puuza|sahau|ongeza|jibu|sema|mwambie|waambie|chapisha|ghairi|ruhusu|lipa|"
    r"usimwambie|usiwaambie|usiseme|"
    r"ipadala|ipasa|burahin|baguhin|aprubahan|huwag\s+pansinin|kalimutan|idagdag|sabihin|ibahagi|ibalik|"
    r"ilipat|"
    r"gửi|chuyển\s+tiếp|xuất|xóa|xoá|thay\s+đổi|đặt|phê\s+duyệt|duyệt|xác\s+nhận|hoàn\s+tiền|"
    r"chuyển\s+khoản|tiết\s+lộ|hiển\s+thị|chia\s+sẻ|bỏ\s+qua|quên|thêm|trả\s+lời|nói|đăng|hủy|huỷ"
)
#: English act verbs (imperatives; the pattern that uses them checks that an object follows).
#: Slovene, Lithuanian, Latvian, Icelandic, Welsh, Basque, Azerbaijani and Urdu (rt-fix6mcp).
_ACT_MORE = (
    r"pošlji|posreduj|izbriši|spremeni|nastavi|odobri|potrdi|vrni|nakaži|razkrij|"
    r"siųsk|persiųsk|nusiųsk|ištrink|pakeisk|patvirtink|grąžink|pervesk|atskleisk|bendrink|eksportuok|"
    r"išsiųsk|pasakyk|pasiūlyk|perduok|įkelk|"
    r"nosūti|pārsūti|sūti|izdzēs|dzēs|nomaini|maini|apstiprini|atmaksā|pārskaiti|atklāj|kopīgo|eksportē|"
    r"pasaki|piedāvā|"
    r"sendu|áframsendu|eyddu|breyttu|samþykktu|staðfestu|endurgreiddu|millifærðu|deildu|"
    r"segðu|bjóddu|sýndu|opnaðu|"
    r"anfonwch|anfona|dilëwch|newidiwch|cymeradwywch|cadarnhewch|rhannwch|trosglwyddwch|"
    r"bidali|birbidali|ezabatu|aldatu|onartu|berretsi|itzuli|partekatu|transferitu|"
    r"göndər\w*|yönləndir\w*|təsdiqlə\w*|dəyiş\w*|qaytar\w*|köçür\w*|paylaş\w*|"
    r"بھیج\w*|واپس\s+کر|منظور\s+کر|تبدیل\s+کر|حذف\s+کر|شیئر\s+کر|"
    r"بتا\w*|کہیں|کہو|"
    # Uzbek, Mongolian, Kazakh "tell" (rt-f9mcp)
    r"yubor\w*|o['’ʻ]chir\w*|ayting|so['’ʻ]rang|o['’ʻ]zgartir\w*|tasdiqla\w*|"
    r"илгээ\w*|устга\w*|шилжүүл\w*|хэлээрэй|мэдэгд\w*|айт\w*|"
    # Afrikaans, Albanian, Macedonian, Kazakh, Georgian, Hindi written in Latin letters, more Indonesian and
    # Turkish (rt-f7mcp)
    r"ignoreer|vergeet|herinner|onthou|"
    r"injoro|injoroni|harro|harroni|dërgo|dërgoni|përcill|kthe|ktheni|fshi|fshini|ndrysho|mos\s+njofto|"
    r"заборави|испрати|препрати|избриши|игнорирај|"
    r"жібер\w*|елеме|елемеңіз|қайтар\w*|өшір\w*|көрсет\w*|"
    r"გაუგზავნე|გადაუგზავნე|უგულებელყავი|დაივიწყე|წაშალე|გაუზიარე|"
    r"bhej\s+d[oe]|bhejo|bhejna|bhool\s+jao|bhul\s+jao|bata\s+do|batao|mat\s+batana|"
    r"(?:delete|forward|share|ignore|send|transfer)\s+kar\s*(?:do|dena|o)|"
    r"simpan|ingat\w*|arahkan|rekomendasikan|"
    r"listele\w*"
)
EN_ACT_WORDS = _ACT_EN
#: Act verbs of the other languages written with spaces between words (a word boundary before them).
ACT_WORDS = _alt(
    _ACT_DE, _ACT_FR, _ACT_ES_PT_IT, _ACT_NL_NORDIC, _ACT_CE, _ACT_CYR_GR, _ACT_TR_ME_SA, _ACT_SEA, _ACT_MORE
)

#: Act verbs of Chinese, Japanese, Korean and Thai (matched anywhere: Chinese, Japanese and Thai have no
#: spaces between words, Korean verbs carry their endings).
SPACELESS_ACT_WORDS = _alt(
    r"发送|發送|发给|發給|寄给|转发|轉發|导出|導出|删除|刪除|修改|更改|设置|設置|设定|設定|批准|确认|確認|退款|"
    r"转账|轉帳|透露|泄露|洩露|显示|顯示|分享|忽略|无视|無視|忘记|忘記|添加|回复|回覆|告诉|告訴|发布|發布|"
    r"取消|执行|執行|调用|調用|寄到|寄至|发到|發到|传到|傳到|上传|上傳|告知",
    r"送信|送って|送れ|転送|エクスポート|削除|変更|承認|返金|送金|振り込|明かし|表示して|共有|忘れ|追加|返信|"
    r"伝え|公開|キャンセル|実行|呼び出",
    # an English verb written right after a Chinese or Japanese character ("將所有客戶資料send去")
    r"(?<=[\u3040-\u30ff\u3400-\u9fff])(?:send|forward|e-?mail|upload|export|delete|transfer|share)(?![A-Za-z])",
    # Tamil (its vowel signs are no word characters: matched without a boundary)
    r"அனுப்பு|அனுப்பவும்|நீக்கு|மாற்று|அங்கீகரி|பகிர்|திருப்பி\s+அனுப்பு",
    # Gujarati (its vowel signs are no word characters either)
    r"મોકલો|મોકલી\s+દો|અવગણો|કાઢી\s+નાખો|ભૂલી\s+જાઓ|શેર\s+કરો",
    # Cantonese
    r"寄去|傳去|轉寄|傳送|传送|刪咗|删咗|改咗",
    # (not in the passive: "추가됩니다" is "is added", what a feature does, rt-f9mcp)
    r"(?:보내|전송|전달|내보내|삭제|변경|설정|승인|환불|송금|이체|공개|표시|공유|무시|잊어|추가|답장|답변|알려|게시|"
    r"취소|실행|호출)(?![되된됨돼됩됐])",
    r"ส่ง|ลบ|เปลี่ยน|ตั้ง|อนุมัติ|ยืนยัน|คืนเงิน|โอน|เปิดเผย|แสดง|แชร์|เพิกเฉย|ละเว้น|ไม่ต้องสนใจ|ลืม|เพิ่ม|ตอบ|"
    r"บอก|เผยแพร่|ยกเลิก",
)

#: Words that introduce a quoted example ("such as", "like", "for example") in the same languages: an
#: instruction quoted right after them is mentioned, not addressed to the model ("phrases like \"ignore previous
#: instructions\"", "mondatokat, mint „hagyd figyelmen kívül …”").
MENTION_WORDS = _alt(
    r"such\s+as|for\s+example|for\s+instance|e\.g\.|example|like|called|known\s+as|phrases?|"
    r"(?:may|might|could|can|would|will|often|typically|usually)\s+(?:write|type|post|plant|hide)",
    r"wie|etwa|zum\s+beispiel|z\.\s?b\.|sätze?|comme|par\s+exemple|p\.\s?ex\.|phrases?|como|por\s+ejemplo|"
    r"frases?|come|ad\s+esempio|per\s+esempio|zoals|bijvoorbeeld|zinnen|som|till\s+exempel|t\.\s?ex\.|"
    r"for\s+eksempel|f\.\s?eks\.|kuten|esimerkiksi|esim\.|nagu|näiteks|jako|jak|například|např\.|np\.|"
    r"na\s+przykład|ako|napríklad|mint|például|pl\.|precum|de\s+exemplu|com|per\s+exemple",
    r"как|например|напр\.|як|наприклад|όπως|π\.χ\.|gibi|örneğin|مثل|مانند|כמו|जैसे|যেমন|seperti|misalnya|"
    r"contohnya|contoh|kama|mfano|tulad\s+ng|như|ví\s+dụ|เช่น|例如|比如|像|など|のような|예를\s+들어|같은",
)

#: Where printed instructions for a person stand ("forget the guidelines on the box", "ignorujte predošlé
#: pokyny na obale"): an override followed by one of these is about the packaging, not the model.
PRINTED_PLACES = _alt(
    r"(?:on|in|from|printed\s+on|inside)\s+(?:the\s+|this\s+|that\s+|your\s+)?(?:old\s+|original\s+)?"
    r"(?:packaging|package|pack|packet|label|box|bottle|tin|jar|bag|sachet|leaflet|manual|insert|wrapper|"
    r"carton|lid|tag|card|tub|can|tube|booklet|instruction\s+sheet|back)\b",
    r"auf\s+(?:der|dem|den)\s+(?:verpackung|packung|flasche|dose|schachtel|etikett|karton|beipackzettel|tüte)",
    r"(?:sur|dans)\s+(?:l'|la\s+|le\s+)(?:emballage|étiquette|boîte|notice|paquet|flacon|sachet)",
    r"(?:en|de)\s+(?:el|la)\s+(?:envase|paquete|embalaje|etiqueta|caja|bolsa|botella)",
    r"(?:sulla|nella|sul)\s+(?:confezione|scatola|etichetta|bottiglia|busta)",
    r"(?:na|da)\s+(?:embalagem|etiqueta|caixa|garrafa)",
    r"op\s+(?:de|het)\s+(?:verpakking|doos|etiket|fles)",
    r"på\s+(?:förpackningen|etiketten|paketet|kartongen|pakken|emballagen|etiketten|æsken|esken)",
    r"pakkaukse\w*|etiketi\w*|pakendil|sildil",
    r"na\s+(?:obale|obalu|etikete|etiketě|krabici|krabičke|štítku|opakowaniu|etykiecie|pudełku|ambalaži)",
    r"a\s+(?:csomagoláson|címkén|dobozon)|pe\s+(?:ambalaj|etichetă|cutie)",
    r"на\s+(?:упаковке|этикетке|коробке|упаковці|етикетці|коробці|опаковката)",
    r"στη[νς]?\s+(?:συσκευασία|ετικέτα)|ambalaj(?:daki|ın\s+üzerindeki)|etiketteki|kutudaki",
    r"(?:pada|di)\s+(?:kemasan|label|kotak|bungkusan|pembungkus)|kwenye\s+(?:kifurushi|lebo|boksi)",
    r"trên\s+(?:bao\s+bì|nhãn|hộp)|sa\s+(?:pakete|label|kahon)",
    r"על\s+(?:האריזה|התווית)|على\s+(?:العبوة|الملصق|العلبة)|روی\s+(?:بسته|برچسب)",
    r"पैकेट\s+पर|लेबल\s+पर|প্যাকেটের|লেবেলের|บนบรรจุภัณฑ์|บนฉลาก|包装上|包裝上|标签上|パッケージ|ラベルの|포장|라벨",
)


#: Marker words of the other languages the screen reads with Latin letters (German, French, Spanish,
#: Italian, Portuguese, Dutch): common function words and the words of an override or exfiltration, ASCII
#: only and three letters or more. A line of ROT13, reversed or Caesar-shifted text that holds three of them
#: (once decoded) is decoded and read, as the English markers make it (brandrail.gate.toolresults).
CIPHER_MARKERS = frozenset(
    [
        # German
        "und",
        "die",
        "der",
        "das",
        "den",
        "dem",
        "alle",
        "ignoriere",
        "ignorieren",
        "vorherigen",
        "anweisungen",
        "sende",
        "schicke",
        "kunden",
        "kundenliste",
        "liste",
        "nicht",
        "mit",
        "deine",
        "ihre",
        "passwort",
        "benutzer",
        "daten",
        # French
        "les",
        "des",
        "toutes",
        "tous",
        "ignorez",
        "ignore",
        "envoyez",
        "envoie",
        "liste",
        "clients",
        "utilisateur",
        "votre",
        "vos",
        "aux",
        "pour",
        "avec",
        "commandes",
        # Spanish, Italian, Portuguese
        "las",
        "los",
        "todas",
        "todos",
        "ignora",
        "instrucciones",
        "anteriores",
        "lista",
        "clientes",
        "del",
        "con",
        "para",
        "usuario",
        "datos",
        "correo",
        "tutte",
        "istruzioni",
        "precedenti",
        "invia",
        "elenco",
        "clienti",
        "dati",
        "utente",
        "della",
        "per",
        "envie",
        "dados",
        "com",
        # Dutch
        "negeer",
        "eerdere",
        "instructies",
        "stuur",
        "lijst",
        "klanten",
        "gegevens",
        "gebruiker",
        "naar",
        "het",
        "een",
        "van",
        "met",
    ]
)
