Feature: Managing consent and seeing my data in the chat bot
  A member can change their mind at any time, in as few taps to withdraw as to give,
  and can see what the trust holds and who has read it.

  Background:
    Given the social lender "Eden Valley Credit Union" is approved
    And Mary joined through the bot and said yes to "Affordable credit"

  Scenario: Withdrawing takes effect before the bot replies, and giving again takes one tap too
    When Mary opens her consents and taps "Withdraw: Affordable credit"
    Then the bot says no organisation can read her data for "Affordable credit" from now on
    And nobody could see Mary's data now
    When she taps "Give: Affordable credit"
    Then "Eden Valley Credit Union" could see Mary's data now

  Scenario: A member sees who read their data
    Given "Eden Valley Credit Union" read Mary's contact details for affordable credit
    When Mary asks the bot for her data
    Then the bot shows her name, her area and that "Eden Valley Credit Union" read her data

  Scenario: Forgetting destroys the member's personal data but not the audit trail
    Given "Eden Valley Credit Union" read Mary's contact details for affordable credit
    When Mary asks the bot to forget her and confirms
    Then the trust no longer holds Mary's name
    And Mary's history still shows that "Eden Valley Credit Union" read her data
