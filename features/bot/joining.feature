Feature: Joining the trust through the chat bot
  Many members only ever meet the trust in a chat on their phone. They join there,
  agree to the membership terms and choose, one purpose at a time, what to share.

  Background:
    Given the social lender "Eden Valley Credit Union" is approved

  Scenario: A new member joins and chooses what to share
    When Mary starts a chat with the trust's bot and chooses to join
    And she agrees to the membership terms
    And she gives her name as "Mary Dixon" and her area as "CA1", skipping the other questions
    And she says yes to "Affordable credit" and no to everything else
    Then the bot tells her she is a member and gives her a reference code
    And the trust has recorded that she agreed to version 1 of the membership terms
    And "Eden Valley Credit Union" could see Mary's data now

  Scenario: Saying "not now" to the terms records nothing
    When Mary starts a chat with the trust's bot and chooses to join
    And she says "Not now" to the membership terms
    Then the bot says nothing has been recorded
    And the trust has no members

  Scenario: A member registered on paper confirms with the code on their form
    Given caseworker Cal registered Iona on paper, with consent to "Eden Valley Credit Union" for "Affordable credit"
    And nobody could see Iona's data now
    When Iona starts a chat with the trust's bot and says she has a reference code
    And she agrees to the membership terms
    And she types the reference code from her form
    Then the bot says her membership is confirmed
    And "Eden Valley Credit Union" could see Iona's data now
