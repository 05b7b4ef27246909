Feature: Managing consent and seeing my data in the members' chat, on every channel
  A member can change their mind at any time, in as few taps (or texts) to withdraw as
  to give, and can see what the trust holds and who has read it, whatever their phone.

  Background:
    Given the social lender "Eden Valley Credit Union" is approved

  Scenario Outline: Withdrawing takes effect before the trust replies, and giving again takes one step too
    Given members talk to the trust by <channel>
    And Mary joined in the chat and said yes to "Affordable credit"
    When Mary opens her consents and chooses "Withdraw: Affordable credit"
    Then the trust says no organisation can read her data for "Affordable credit" from now on
    And nobody could see Mary's data now
    When she chooses "Give: Affordable credit"
    Then "Eden Valley Credit Union" could see Mary's data now

    Examples:
      | channel  |
      | telegram |
      | sms      |
      | whatsapp |

  Scenario Outline: A quick second tap acts on the choice the member saw, and each is confirmed in words
    Given members talk to the trust by <channel>
    And Mary joined in the chat and said yes to both "Affordable credit" and "Community grants"
    When Mary opens her consents and quickly chooses "Withdraw: Affordable credit", then "Withdraw: Community grants" where she saw it, before reading the answer
    Then the trust says "Withdrawn: Community grants. From now on no organisation can read your data for this."
    And Mary's consents for "Affordable credit" and "Community grants" are withdrawn, and nothing else was given
    And nobody could see Mary's data now

    Examples:
      | channel  |
      | telegram |
      | sms      |
      | whatsapp |

  Scenario Outline: A member changes their own details, recorded with the channel they used
    Given members talk to the trust by <channel>
    And Mary joined in the chat and said yes to "Affordable credit"
    When Mary asks to change her details and gives her area as "ca2"
    Then the trust says "Changed: Area is now"
    And Mary's area is "CA2", changed by herself via <recorded>

    Examples:
      | channel  | recorded |
      | telegram | bot      |
      | sms      | sms      |
      | whatsapp | whatsapp |

  Scenario Outline: A member sees who read their data
    Given members talk to the trust by <channel>
    And Mary joined in the chat and said yes to "Affordable credit"
    And "Eden Valley Credit Union" read Mary's contact details for affordable credit
    When Mary asks the trust for her data
    Then the trust shows her name, her area and that "Eden Valley Credit Union" read her data

    Examples:
      | channel  |
      | telegram |
      | sms      |
      | whatsapp |

  Scenario Outline: Forgetting destroys the member's personal data but not the audit trail
    Given members talk to the trust by <channel>
    And Mary joined in the chat and said yes to "Affordable credit"
    And "Eden Valley Credit Union" read Mary's contact details for affordable credit
    When Mary asks the trust to forget her and confirms
    Then the trust no longer holds Mary's name
    And Mary's history still shows that "Eden Valley Credit Union" read her data

    Examples:
      | channel  |
      | telegram |
      | sms      |
      | whatsapp |
