# Threats are quoted in their own scripts and punctuation (full-width commas), which RUF001
# would flag one by one.
# ruff: noqa: RUF001
"""Threats relayed in the third person, and places threatened in any person or as an infinitive.

Reporters rarely quote a threat word for word: "my friend says he wants to kill himself tonight",
"er hat angekündigt, morgen die Schule in die Luft zu sprengen". Each of the twelve languages
recognises a handful of such sentences as threats of the right type, and does not call the
ordinary wiki disputes that use the same strong words threats ("this edit kills the article",
"he threatened to report me to the admins", an article about a bombing or a suicide).
"""

from safetydesk.intake.tests.urgency_cases import UrgencyCaseTests
from safetydesk.intake.urgency import PUBLIC_HARM, SELF_HARM, assess

# Someone else's intent to harm themselves, as a reporter relays it: he / she / they, "says he
# will", "threatened to", "is going to".
RELAYED_SELF_HARM = {
    "en": [
        "My friend says he wants to kill himself tonight.",
        "She said she'd kill herself if they blocked her again.",
        "They are planning to take their own lives.",
        "He threatened suicide on his talk page.",
    ],
    "es": [
        "Mi amigo dice que quiere suicidarse esta noche.",
        "Ella se quiere matar.",
        "Amenazó con quitarse la vida.",
        "Dijo que se va a matar hoy.",
        "Quieren suicidarse juntos.",
    ],
    "ja": [
        "彼は自殺したいと言っている。",
        "友人が今夜自殺すると書き込んでいます。",
        "会話ページに自殺予告がありました。",
    ],
    "fr": [
        "Elle veut se suicider.",
        "Mon ami dit qu'il va se tuer ce soir.",
        "Il a menacé de mettre fin à ses jours.",
        "Ils veulent se suicider ensemble.",
    ],
    "de": [
        "Er will sich umbringen.",
        "Ein Benutzer schrieb, dass er sich heute Nacht umbringen will.",
        "Sie hat angekündigt, sich das Leben zu nehmen.",
        "Er droht mit Selbstmord.",
        "Die beiden wollen sich heute umbringen.",
    ],
    "pt": [
        "Ela quer se matar.",
        "Um usuário escreveu que quer se matar hoje à noite.",
        "Ele disse que vai se suicidar.",
        "Ela ameaçou tirar a própria vida.",
        "Eles querem se suicidar.",
    ],
    "it": [
        "Vuole suicidarsi stanotte.",
        "Ha detto che si ammazza stasera.",
        "Ha minacciato di togliersi la vita.",
        "Vogliono uccidersi insieme.",
    ],
    "ru": [
        "Он хочет покончить с собой.",
        "Она говорит, что повесится сегодня.",
        "Он грозится убить себя.",
        "Они собираются отравиться.",
    ],
    "ar": [
        "كتب أحد المستخدمين أنه سينتحر الليلة.",
        "قالت إنها تريد أن تنتحر.",
        "هدد بالانتحار في صفحته.",
    ],
    "zh": [
        "他说他要自杀。",
        "她今晚就要轻生。",
        "他扬言要跳楼。",
    ],
    "hi": [
        "उसने लिखा कि वह आज रात आत्महत्या कर लेगा।",
        "मेरी दोस्त कहती है कि वह आत्महत्या करना चाहती है।",
        "उसने आत्महत्या करने की धमकी दी।",
    ],
    "id": [
        "Temanku bilang dia mau gantung diri.",
        "Dia mengancam bunuh diri di halaman pembicaraannya.",
        "Dia ingin mengakhiri hidupnya malam ini.",
    ],
}

# Blowing up, burning or shooting at a school, a building or an event: in the third person, and
# as an infinitive after "announced", "threatened", "wants".
PUBLIC_HARM_THREATS = {
    "en": [
        "He said he will shoot up the school on Monday.",
        "She threatened to bomb the office.",
    ],
    "es": [
        "Dijo que va a hacer explotar la escuela mañana.",
        "Amenazó con volar el colegio.",
        "Planea un tiroteo en el colegio.",
    ],
    "ja": [
        "明日学校を爆破すると書き込みました。",
        "学校で銃を乱射すると言っています。",
        "市役所への襲撃予告がありました。",
    ],
    "fr": [
        "Il a écrit qu'il va faire exploser l'école demain.",
        "Elle menace de faire sauter la fac.",
        "Il menace de poser une bombe dans la mairie.",
    ],
    "de": [
        "Er hat angekündigt, morgen die Schule in die Luft zu sprengen.",
        "Er will die Schule in die Luft jagen.",
        "Er hat gedroht, das Gymnasium niederzubrennen.",
        "Er droht, eine Bombe im Rathaus zu legen.",
    ],
    "pt": [
        "Ele disse que vai explodir a escola amanhã.",
        "Ela ameaçou mandar a escola pelos ares.",
        "Ele ameaçou colocar uma bomba no prédio da universidade.",
    ],
    "it": [
        "Ha detto che farà saltare in aria la scuola domani.",
        "Vuole far esplodere il liceo.",
        "Ha minacciato di fare una strage a scuola.",
    ],
    "ru": [
        "Он написал, что завтра взорвёт школу.",
        "Он грозится устроить стрельбу в университете.",
        "Она угрожает поджечь офис фонда.",
    ],
    "ar": [
        "كتب المستخدم أنه سيفجر المدرسة غدا.",
        "هدد بتفجير مبنى الجامعة.",
    ],
    "zh": [
        "他说要把学校炸了。",
        "他扬言要去学校开枪。",
    ],
    "hi": [
        "उसने लिखा कि वह कल स्कूल को बम से उड़ा देगा।",
        "उसने स्कूल को उड़ाने की धमकी दी।",
    ],
    "id": [
        "Dia akan meledakkan sekolah besok.",
        "Dia menulis bahwa dia akan melakukan penembakan di sekolah.",
    ],
}

# Ordinary disputes in the same strong words: an edit that "kills" an article, threatening to
# report someone, articles about bombs, bombings and suicides, past events, denials, idioms.
LOOK_ALIKES = {
    "en": [
        "This edit kills the article.",
        "He threatened to report me to the admins.",
        "I will kill this thread if nobody replies by Friday.",
        "The bomb-making article was vandalised again.",
        "The article on the history of suicide in Japan needs sources; he killed himself in 1970.",
        "He'd kill himself laughing at this thread.",
    ],
    "es": [
        "Esta edición mata el artículo.",
        "Amenazó con denunciarme a los bibliotecarios.",
        "Voy a matar este hilo, no lleva a ninguna parte.",
        "El artículo sobre la fabricación de bombas fue vandalizado.",
        "Se va a matar de risa cuando lo lea.",
        "Dice que no quiere suicidarse, que era una broma.",
    ],
    "ja": [
        "この編集は記事を殺している。",
        "管理者に通報すると脅されました。",
        "爆弾の製造方法の記事が荒らされています。",
        "太宰治は1948年に自殺した。",
        "医者に死ぬと言われたという記述には出典がありません。",
    ],
    "fr": [
        "Cette modification tue l'article.",
        "Il menace de me signaler aux administrateurs.",
        "Je vais tuer ce fil de discussion, il ne mène à rien.",
        "L'article sur la fabrication de bombes a été vandalisé.",
        "Il va se tuer au travail s'il continue.",
        "Ce budget va faire exploser les coûts du lycée.",
    ],
    "de": [
        "Diese Bearbeitung tötet den Artikel.",
        "Er droht, mich bei den Admins zu melden.",
        "Der Artikel über den Bombenbau wurde vandaliert.",
        "Er hat sich 1942 das Leben genommen.",
        "Der Neubau der Schule würde das Budget sprengen.",
        "Die Trolle wollen die Veranstaltung sprengen.",
        "Ich glaube, der Bot läuft Amok.",
    ],
    "pt": [
        "Essa edição mata o artigo.",
        "Ele ameaçou me bloquear.",
        "Vou matar esse tópico, não leva a lugar nenhum.",
        "O artigo sobre fabricação de bombas foi vandalizado.",
        "Ela vai se matar de rir.",
        "Ele disse que não vai se matar, era só uma piada.",
    ],
    "it": [
        "Questa modifica uccide la voce.",
        "Ha minacciato di segnalarmi agli amministratori.",
        "La voce sulla bomba atomica è stata vandalizzata.",
        "Voglio farla finita con questa discussione.",
        "Si ammazza di lavoro per finire la voce.",
        "Domani faccio saltare la scuola e vado al mare.",
    ],
    "ru": [
        "Эта правка убивает статью.",
        "Он угрожает пожаловаться на меня администраторам.",
        "Статью об изготовлении бомб опять испортили вандалы.",
        "Он покончил с собой в 1925 году, как сказано в статье.",
        "Он написал, что не хочет покончить с собой, это была шутка.",
    ],
    "ar": [
        "هذا التعديل يقتل حيادية المقالة.",
        "هدد بإبلاغ المشرفين عني.",
        "تم تخريب المقالة عن صناعة القنابل.",
        "انتحر الشاعر عام 1990 كما تقول المقالة.",
    ],
    "zh": [
        "这次编辑杀死了条目的中立性。",
        "他威胁要向管理员举报我。",
        "关于炸弹制造的条目被破坏了。",
        "这个条目讨论为什么他们会自杀，需要更多来源。",
        "他不想自杀，只是开玩笑。",
    ],
    "hi": [
        "उसने मुझे प्रशासकों से शिकायत करने की धमकी दी।",
        "बम बनाने वाले लेख में तोड़फोड़ हुई है।",
        "उसने 1990 में आत्महत्या की थी, लेख में स्रोत चाहिए।",
        "सैनिक ने कहा कि वह देश के लिए अपनी जान दे देगा।",
    ],
    "id": [
        "Suntingan ini membunuh netralitas artikel.",
        "Dia mengancam akan melaporkan saya ke pengurus.",
        "Artikel tentang bom di gereja Surabaya tahun 2018 perlu sumber.",
        "Dia tidak akan bunuh diri, dia cuma bercanda.",
    ],
}


class RelayedThreatTests(UrgencyCaseTests):
    def test_every_language_has_cases(self) -> None:
        self.assert_every_language(RELAYED_SELF_HARM, PUBLIC_HARM_THREATS, LOOK_ALIKES)

    def test_someone_elses_intent_to_harm_themselves_is_a_self_harm_threat(self) -> None:
        self.assert_threats(RELAYED_SELF_HARM, SELF_HARM)

    def test_a_threat_to_blow_up_or_attack_a_place_is_a_public_harm_threat(self) -> None:
        self.assert_threats(PUBLIC_HARM_THREATS, PUBLIC_HARM)

    def test_the_same_strong_words_in_an_ordinary_dispute_are_not_a_threat(self) -> None:
        self.assert_not_threats(LOOK_ALIKES)

    def test_the_relayed_intent_rule_is_the_one_that_fires(self) -> None:
        # Not some other rule that happens to match: each language has its own relayed-intent rule.
        for code, texts in RELAYED_SELF_HARM.items():
            fired = {f.id for text in texts for f in assess(text, code).rules if f.weight > 0}
            with self.subTest(language=code):
                assert f"{code}.self_harm.relayed_intent" in fired, sorted(fired)
