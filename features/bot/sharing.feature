Feature: Sharing data with the trust in the members' chat, on every channel
  A member shares one kind of data at a time in a short check-in: one question at a time, any
  question skipped that is not required, an answer that does not fit asked again with a sentence
  saying why. Nothing is recorded until she has seen her answers in words and confirmed them.

  Background:
    Given the social lender "Eden Valley Credit Union" is approved

  Scenario Outline: A member shares how she is feeling, skipping a question, and sees it in her data
    Given members talk to the trust by <channel>
    And Mary joined in the chat and said yes to "Affordable credit"
    When Mary asks to share "How you say you are feeling"
    And she answers "7", skips the next question, then answers "8" and "2"
    Then the trust shows her "Things you do are worthwhile: not answered" and asks whether to record it
    And nothing Mary shares is recorded yet
    When she chooses "Yes, record it"
    Then the trust says "Recorded: How you say you are feeling."
    And Mary's well-being is recorded as 7, 8 and 2, by herself via <recorded>
    When Mary asks the trust for her data
    Then the trust shows her "Life satisfaction: 7", "Happiness yesterday: 8" and "Anxiety yesterday: 2"

    Examples:
      | channel  | recorded |
      | telegram | bot      |
      | sms      | sms      |
      | whatsapp | whatsapp |

  Scenario Outline: An answer that does not fit is asked again, and nothing is recorded until she confirms
    Given members talk to the trust by <channel>
    And Mary joined in the chat and said yes to "Affordable credit"
    When Mary sends "/share wellbeing"
    And she answers "eleven"
    Then the trust says "Life satisfaction must be a number."
    When she answers "11"
    Then the trust says "Life satisfaction must be from 0 to 10."
    And the trust says "Question 1 of 4"
    When she answers "10", skips the next question, then answers "9" and "0"
    Then nothing Mary shares is recorded yet
    When she chooses "Yes, record it"
    Then Mary's well-being is recorded as 10, 9 and 0, by herself via <recorded>

    Examples:
      | channel  | recorded |
      | telegram | bot      |
      | sms      | sms      |
      | whatsapp | whatsapp |

  Scenario Outline: Cancelling at the end records nothing
    Given members talk to the trust by <channel>
    And Mary joined in the chat and said yes to "Affordable credit"
    When Mary asks to share "How you say you are feeling"
    And she answers "7", skips the next question, then answers "8" and "2"
    And she chooses "No, cancel"
    Then the trust says "Cancelled: nothing was recorded."
    And nothing Mary shares is recorded yet

    Examples:
      | channel  |
      | telegram |
      | sms      |
      | whatsapp |
