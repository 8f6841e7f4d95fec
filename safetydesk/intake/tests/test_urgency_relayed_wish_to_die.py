"""Someone else's wish to die, as a reporter relays it, in each of the twelve languages.

"She says she wants to die" is as strong as the first-person "I want to die" (0.8, a threat on its
own at the default threshold of 0.6): xx.self_harm.relayed_wish_to_die. Idioms ("die laughing"),
denials ("says she doesn't want to die") and wishes about how to die ("wants to die a hero", "in
peace", "for his country") are not threats.
"""

from safetydesk.intake.tests.urgency_cases import UrgencyCaseTests
from safetydesk.intake.urgency import SELF_HARM, assess

RELAYED_WISH_TO_DIE = {
    "en": ["She says she wants to die.", "He keeps saying he wants to die.", "My friend told me she wants to die."],
    "es": ["Dice que quiere morir.", "Mi amiga no para de decir que se quiere morir."],
    "ja": ["彼女は死にたがっている。", "友人が生きていたくないと言っています。"],
    "fr": ["Elle dit qu'elle veut mourir.", "Il n'arrête pas de dire qu'il veut mourir."],
    "de": ["Sie sagt, sie will sterben.", "Er schreibt, dass er nur noch sterben will."],
    "pt": ["Ela diz que quer morrer.", "Ele vive dizendo que quer morrer."],
    "it": ["Dice che vuole morire.", "Ha detto di voler morire."],
    "ru": ["Она говорит, что хочет умереть.", "Он написал, что больше не хочет жить."],
    "ar": ["قالت إنها تريد أن تموت.", "يقول إنه يتمنى الموت."],
    "zh": ["她说她想死。", "他一直说他想死。"],
    "hi": ["वह कहती है कि वह मरना चाहती है।", "वह मरना चाहता है।"],
    "id": ["Dia bilang dia ingin mati.", "Katanya dia mau mati."],
}

LOOK_ALIKES = {
    "en": ["This is not the hill he wants to die on.", "She says she doesn't want to die.", "He wants to die a hero."],
    "es": ["Dice que se quiere morir de risa.", "Dice que no quiere morir.", "No se quiere morir."],
    "ja": ["死にたくないと言っている。", "恥ずかしくて死にたいと言っていた。"],
    "fr": ["Il dit qu'il veut mourir de rire.", "Il veut mourir en paix."],
    "de": ["Er sagt, er will nicht sterben.", "Der Artikel sagt, er wollte in Rom sterben."],
    "pt": ["Ela disse que quer morrer de rir.", "Ele diz que não quer morrer."],
    "it": ["Dice che vuole morire dal ridere.", "Vuole morire in pace."],
    "ru": ["Он говорит, что не хочет умереть.", "Он хочет умереть героем."],
    "ar": ["قال إنه لا يريد أن يموت."],
    "zh": ["他说他想死你们了。", "他不想死。"],
    "hi": ["वह देश के लिए मरना चाहता है।", "वह मरना नहीं चाहता।"],
    "id": ["Dia bilang dia mau mati ketawa.", "Dia tidak ingin mati muda."],
}


class RelayedWishToDieTests(UrgencyCaseTests):
    def test_every_language_has_cases(self) -> None:
        self.assert_every_language(RELAYED_WISH_TO_DIE, LOOK_ALIKES)

    def test_someone_elses_wish_to_die_is_a_self_harm_threat(self) -> None:
        self.assert_threats(RELAYED_WISH_TO_DIE, SELF_HARM)

    def test_the_relayed_wish_rule_is_the_one_that_fires_and_weighs_as_much_as_i_want_to_die(self) -> None:
        for code, texts in RELAYED_WISH_TO_DIE.items():
            for text in texts:
                fired = {f.id: f.weight for f in assess(text, code).rules}
                with self.subTest(language=code, text=text):
                    assert fired.get(f"{code}.self_harm.relayed_wish_to_die") == 0.8, fired

    def test_idioms_denials_and_wishes_about_how_to_die_are_not_threats(self) -> None:
        self.assert_not_threats(LOOK_ALIKES)
