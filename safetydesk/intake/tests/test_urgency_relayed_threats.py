# Threats are quoted in their own scripts and punctuation (full-width commas), which RUF001
# would flag one by one.
# ruff: noqa: RUF001
"""Threats against the reporter or others, as the reporter relays them, in each of the twelve languages.

"He threatened to kill me" is the most common way a threat reaches us: the reporter tells what was
said to them, in the third person. Each language recognises such sentences as physical-harm threats
(xx.physical_harm.relayed_threat), and does not call threats to report, block or revert someone, an
article "killed" in a dispute, or a character killed in a game threats.
"""

from safetydesk.intake.tests.urgency_cases import UrgencyCaseTests
from safetydesk.intake.urgency import PHYSICAL_HARM, assess

RELAYED_THREATS = {
    "en": [
        "He threatened to kill me.",
        "She said she will kill me if I revert her again.",
        "He told me he would come to my house and kill me.",
        "They posted my address and said they're coming to hurt me.",
        "He wrote that he is going to stab my family.",
        "User:Example threatened to rape me on my talk page.",
        "He says he'll shoot someone at the meetup.",
        "He threatened me with a knife.",
    ],
    "es": [
        "Me amenazó de muerte.",
        "Amenazó con matarme en mi página de discusión.",
        "Dijo que me va a matar.",
        "Me dijo que viene a mi casa y que me va a matar.",
        "Amenaza con matar a mi familia.",
    ],
    "ja": [
        "殺すと脅された。",
        "家に行って殺すと言われました。",
        "ノートページで殺すぞと脅迫されています。",
        "元夫に殺される。",
    ],
    "fr": [
        "Il m'a menacé de mort.",
        "Il menace de me tuer.",
        "Il m'a dit qu'il viendrait chez moi pour me tuer.",
        "Elle a écrit qu'elle va me poignarder.",
        "Il a menacé de tuer ma famille.",
    ],
    "de": [
        "Er drohte mir, mich umzubringen.",
        "Er hat gedroht, meine Familie zu töten.",
        "Er hat mir mit dem Tod gedroht.",
        "Er schrieb, dass er mich heute Nacht umbringen will.",
        "Sie will mich abstechen.",
    ],
    "pt": [
        "Ele ameaçou me matar.",
        "Ele disse que vai me matar.",
        "Ela me ameaçou de morte.",
        "Ele ameaçou matar minha família.",
        "Ele escreveu que vem na minha casa me esfaquear.",
    ],
    "it": [
        "Mi ha minacciato di uccidermi.",
        "Ha minacciato di uccidermi.",
        "Mi ha minacciato di morte.",
        "Ha detto che mi ammazza.",
        "Vuole venire a casa mia ad ammazzarmi.",
    ],
    "ru": [
        "Он угрожал убить меня.",
        "Он угрожает мне расправой.",
        "Он написал, что убьёт меня.",
        "Он грозится зарезать мою семью.",
        "Он меня убьёт, помогите.",
    ],
    "ar": [
        "هددني بالقتل.",
        "هدد بقتلي في صفحة النقاش.",
        "قال إنه سيقتلني.",
        "يريد قتلي.",
    ],
    "zh": [
        "他威胁要杀了我。",
        "他说他会来我家杀了我。",
        "他扬言要杀我全家。",
        "对方说要弄死我。",
    ],
    "hi": [
        "उसने मुझे जान से मारने की धमकी दी।",
        "उसने कहा कि वह मुझे मार डालेगा।",
        "वह मेरे परिवार को मार देगा।",
    ],
    "id": [
        "Dia mengancam akan membunuh saya.",
        "Dia bilang akan membunuhku.",
        "Dia mengancam akan membunuh keluarga saya.",
        "Saya diancam akan dibunuh.",
    ],
}

# The same verbs with another object, or threats that are not of harm.
LOOK_ALIKES = {
    "en": [
        "He threatened to report me to the admins.",
        "She threatened to block me.",
        "He threatened to revert me and ban me.",
        "He said he'd kill the article.",
        "They said they will kill this discussion.",
        "My character was killed in the game, he shot me in Fortnite.",
        "The article says he threatened to kill the king in 1536.",
    ],
    "es": [
        "Amenazó con bloquearme.",
        "Dijo que me va a denunciar.",
        "Me mataron en el juego tres veces.",
        "El artículo dice que lo amenazaron de muerte en 1936.",
    ],
    "ja": [
        "管理者に通報すると脅されました。",
        "ゲームでキャラが殺された。",
        "ブロックすると言われました。",
    ],
    "fr": [
        "Il menace de me bloquer.",
        "Il a dit qu'il va me signaler aux administrateurs.",
        "Il va tuer la discussion.",
        "Mon personnage a été tué dans le jeu.",
    ],
    "de": [
        "Er droht, mich bei den Admins zu melden.",
        "Er drohte mir, mich zu sperren.",
        "Er will die Diskussion killen.",
        "Mein Charakter wurde im Spiel getötet.",
    ],
    "pt": [
        "Ele ameaçou me bloquear.",
        "Ele disse que vai me denunciar.",
        "Ele vai matar esse tópico.",
        "Ele disse que não vai me matar, era brincadeira.",
    ],
    "it": [
        "Ha minacciato di bloccarmi.",
        "Ha detto che mi segnala agli amministratori.",
        "Mi hanno ucciso nel gioco.",
    ],
    "ru": [
        "Он угрожал заблокировать меня.",
        "Он грозится пожаловаться на меня.",
        "В игре меня убили три раза.",
        "В 1918 году он угрожал убить царя.",
    ],
    "ar": [
        "هددني بالحظر.",
        "هدد بإبلاغ المشرفين عني.",
        "قتلني في اللعبة.",
    ],
    "zh": [
        "他威胁要向管理员举报我。",
        "他说要封禁我。",
        "他在游戏里杀了我三次。",
    ],
    "hi": [
        "उसने मुझे ब्लॉक करने की धमकी दी।",
        "उसने मुझे प्रशासकों से शिकायत करने की धमकी दी।",
        "गेम में उसने मुझे मार दिया।",
    ],
    "id": [
        "Dia mengancam akan memblokir saya.",
        "Dia mengancam akan melaporkan saya ke pengurus.",
        "Di game dia membunuh saya tiga kali.",
    ],
}


class RelayedThreatToOthersTests(UrgencyCaseTests):
    def test_every_language_has_cases(self) -> None:
        self.assert_every_language(RELAYED_THREATS, LOOK_ALIKES)

    def test_a_relayed_threat_against_the_reporter_or_others_is_a_physical_harm_threat(self) -> None:
        self.assert_threats(RELAYED_THREATS, PHYSICAL_HARM)

    def test_the_relayed_threat_rule_is_the_one_that_fires(self) -> None:
        for code, texts in RELAYED_THREATS.items():
            for text in texts:
                fired = {f.id for f in assess(text, code).rules if f.weight > 0}
                with self.subTest(language=code, text=text):
                    assert f"{code}.physical_harm.relayed_threat" in fired, sorted(fired)

    def test_threats_to_report_block_or_revert_and_game_talk_are_not_threats(self) -> None:
        self.assert_not_threats(LOOK_ALIKES)
