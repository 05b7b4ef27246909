Feature: New membership terms in the members' chat, on every channel
  Version 2 of the membership terms says honestly what version 1 left out: the trust sells community
  insight reports made only from anonymised counts, never members' data. A member who agreed to
  version 1 is told when she next writes, before what she asked for, and asked to agree. Agreeing
  records it with what she was sent, then her request goes on. Her rights never wait for the question.

  Scenario Outline: A member on version 1 is told the terms changed, agrees, and her request then goes on
    Given members talk to the trust by <channel>
    And Mary joined the trust in the chat when version 1 of the membership terms was in force
    When Mary asks to see her details
    Then the trust tells her the membership terms changed since she agreed to version 1, and sends version 2 <sent>
    And it asks whether she agrees before it shows her details
    When she agrees to the new membership terms
    Then the trust thanks her for agreeing to version 2 and shows her details
    And Mary's history says she agreed to version 2 of the membership terms, having been sent <recorded>
    And Mary is not asked about the terms again when she asks to see her details

    Examples:
      | channel  | sent                                | recorded                      |
      | telegram | in full                             | the whole text                |
      | sms      | in short, with TERMS for the whole  | its summary by SMS            |
      | whatsapp | in full                             | the whole text                |

  Scenario Outline: A member on version 1 who asks for her data first gets it, and is asked only afterwards
    Given members talk to the trust by <channel>
    And Mary joined the trust in the chat when version 1 of the membership terms was in force
    When Mary asks the trust for her data
    Then the trust shows Mary her data, and says nothing about the terms
    When Mary asks to see her details
    Then the trust tells her the membership terms changed since she agreed to version 1, and sends version 2 <sent>

    Examples:
      | channel  | sent                                |
      | telegram | in full                             |
      | sms      | in short, with TERMS for the whole  |
      | whatsapp | in full                             |

  Scenario Outline: Not now records nothing, tells her how to leave, and her request goes on
    Given members talk to the trust by <channel>
    And Mary joined the trust in the chat when version 1 of the membership terms was in force
    When Mary asks to see her details
    And she says "Not now" to the new membership terms
    Then the trust says nothing was recorded and that she can leave with <leave>
    And the trust shows her details
    And Mary last agreed to version 1 of the membership terms

    Examples:
      | channel  | leave  |
      | telegram | /leave |
      | sms      | LEAVE  |
      | whatsapp | LEAVE  |

  Scenario: By SMS she asks for the whole text before agreeing, and the trust records that she had both
    Given members talk to the trust by sms
    And Mary joined the trust in the chat when version 1 of the membership terms was in force
    When Mary asks to see her details
    And she replies TERMS for the whole text
    Then the trust sends her the whole of version 2 and asks again whether she agrees
    When she agrees to the new membership terms
    Then Mary's history says she agreed to version 2 of the membership terms, having been sent its summary and full text by SMS
