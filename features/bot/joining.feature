Feature: Joining the trust in the members' chat, on every channel
  Many members only ever meet the trust on their phone: in Telegram, on WhatsApp, or by
  text message on a basic phone. They join there, agree to the membership terms and
  choose, one purpose at a time, what to share, in the same words on every channel.

  Background:
    Given the social lender "Eden Valley Credit Union" is approved

  Scenario Outline: A new member joins and chooses what to share
    Given members talk to the trust by <channel>
    When Mary starts a chat with the trust and chooses to join
    And she agrees to the membership terms
    And she gives her name as "Mary Dixon" and her area as "CA1", skipping the other questions
    And she says yes to "Affordable credit" and no to everything else
    Then the trust tells her she is a member and gives her a reference code
    And the trust has recorded that she agreed to version 2 of the membership terms, sent <terms>
    And "Eden Valley Credit Union" could see Mary's data now
    And her consent was collected by <channel>

    Examples:
      | channel  | terms                          |
      | telegram | the whole text                 |
      | sms      | its summary by SMS             |
      | whatsapp | the whole text                 |

  Scenario Outline: Saying "not now" to the terms records nothing
    Given members talk to the trust by <channel>
    When Mary starts a chat with the trust and chooses to join
    And she says "Not now" to the membership terms
    Then the trust says nothing has been recorded
    And the trust has no members

    Examples:
      | channel  |
      | telegram |
      | sms      |
      | whatsapp |

  Scenario Outline: A member registered on paper confirms with the code on their form
    Given caseworker Cal registered Iona on paper, with consent to "Eden Valley Credit Union" for "Affordable credit"
    And nobody could see Iona's data now
    And members talk to the trust by <channel>
    When Iona starts a chat with the trust and says she has a reference code
    And she agrees to the membership terms
    And she types the reference code from her form
    Then the trust says her membership is confirmed
    And "Eden Valley Credit Union" could see Iona's data now

    Examples:
      | channel  |
      | telegram |
      | sms      |
      | whatsapp |
