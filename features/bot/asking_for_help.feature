Feature: Asking the trust for a person from the members' chat, on every channel
  A member who needs a person writes one message; it reaches the caseworkers' queue and the
  member is told who will answer. Someone who has not joined is told how to join or find a person.

  Scenario Outline: A member's message reaches the caseworkers' queue, and her history says she asked
    Given members talk to the trust by <channel>
    And Mary joined in the chat and said yes to "Affordable credit"
    When Mary asks for a person and writes "My landlord wants my bank statements. Can someone call me?"
    Then the trust says "your message is with the trust's caseworkers"
    And the caseworkers' queue has Mary's message "My landlord wants my bank statements. Can someone call me?", sent by <channel>
    And Mary's history says she asked for help on <shown>, without her words

    Examples:
      | channel  | shown    |
      | telegram | Telegram |
      | sms      | SMS      |
      | whatsapp | WhatsApp |

  Scenario Outline: A message that is too long is refused with a sentence, and nothing is sent
    Given members talk to the trust by <channel>
    And Mary joined in the chat and said yes to "Affordable credit"
    When Mary asks for a person and writes a message of 1,200 characters
    Then the trust says "your message is 1,200 characters long and I can pass on at most 1,000"
    And the caseworkers' queue is empty
    When she writes "Please call me." instead
    Then the caseworkers' queue has Mary's message "Please call me.", sent by <channel>

    Examples:
      | channel  |
      | telegram |
      | sms      |
      | whatsapp |

  Scenario Outline: Someone who has not joined is told how to join, and nothing is kept
    Given members talk to the trust by <channel>
    When Anne asks for a person
    Then the trust tells Anne it passes on messages only from members, and how to join with <join>
    And the caseworkers' queue is empty

    Examples:
      | channel  | join   |
      | telegram | /start |
      | sms      | JOIN   |
      | whatsapp | JOIN   |
