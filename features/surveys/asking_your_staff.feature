Feature: A business asks its own staff, and never learns who said what
  A business that is a member of the trust asks its staff a few questions through the trust.
  It hands each person a one-time code, and each code answers once. The business sees only
  the counts the trust's disclosure control releases (nothing below the members' minimum cell
  size) and free text once a trustee has reviewed it; nothing the trust keeps links an answer
  to the code that gave it.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Fellside Bakery", a business, is a member of the trust
    And "Fellside Bakery" has started a staff survey "How is work going?" with 12 codes

  Scenario: Twelve staff answer and the business sees only what the trust releases
    When 9 of its staff answer that the rota is "fair" and 3 that it is "unfair"
    And "Fellside Bakery" closes the survey
    Then the business sees that 12 staff answered
    And the business sees no count of the rota from 1 to 9
    And the business sees no free text until a trustee has released it

  Scenario: A code answers only once
    Given a member of staff has answered with the first code
    When someone tries to answer again with the first code
    Then it is refused with "This code is not one we know, has already been used, or its survey has closed. Check it against the slip you were given: each code works only once. Nothing was recorded."
    And nothing is recorded

  Scenario: With too few answers nothing at all is shown
    When 9 of its staff answer that the rota is "fair" and 0 that it is "unfair"
    And "Fellside Bakery" closes the survey
    Then the business sees that fewer than 10 staff answered, so nothing is shown

  Scenario: A closed survey takes no more answers
    Given "Fellside Bakery" has closed the survey
    When someone tries to answer with the last code
    Then it is refused with "This code is not one we know, has already been used, or its survey has closed. Check it against the slip you were given: each code works only once. Nothing was recorded."
    And nothing is recorded

  Scenario: Nothing the trust keeps links an answer to its code or its time
    Given it is Monday 2 March 2026 at 14:37
    When a member of staff answers with the first code
    Then the record of the answer holds neither the code nor its digest
    And the record of the answer is stamped with the day only
