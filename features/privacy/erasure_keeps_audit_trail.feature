Feature: Erasure removes a member's personal data but keeps the audit trail
  A member can ask the trust to forget them. Their name, contact and answers are
  destroyed for good. What stays is the trust's record of facts, none of them
  personal: which consents there were, who could see what and when, and every
  read. Trustees can still answer questions about the past; wherever the member
  would have been named, they see "(erased member)".

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Eden Valley Credit Union", a social lender, has been approved by the trustees
    And "Amira Haddad" has joined through the bot with contact "@amira_h"
    And "Amira Haddad" has consented to "Eden Valley Credit Union" seeing her household finances for affordable credit
    And it is Monday 2 March 2026 at 11:00
    And "Eden Valley Credit Union" has read the household finances of "Amira Haddad" for affordable credit
    And it is Wednesday 4 March 2026 at 10:00
    And caseworker "Cal" has recorded that "Amira Haddad" consented on paper form "PF-310", signed on Tuesday 3 March 2026 at 16:00, to "Eden Valley Credit Union" seeing her housing for affordable credit
    And it is Friday 6 March 2026 at 10:00

  Scenario: Her name and contact are gone from everything the trust shows
    When a trustee erases the personal data of "Amira Haddad"
    Then "Amira Haddad" appears nowhere in what the trust shows
    And "Amira" appears nowhere in what the trust shows
    And "@amira_h" appears nowhere in what the trust shows
    And the members register shows "(erased member)" in place of "Amira Haddad"
    And "Amira Haddad" is listed as erased
    And the trust holds no personal data for "Amira Haddad"
    And the late-facts report names the member as "(erased member)"

  Scenario: Trustees can still answer who could see her, and when
    When a trustee erases the personal data of "Amira Haddad"
    And a trustee asks who could see "Amira Haddad" on Tuesday 3 March 2026 at 12:00, as the system enforced it
    Then the answer says "Eden Valley Credit Union" could see household finances
    And the history of "Amira Haddad" says "Eden Valley Credit Union read household-finances for affordable-credit."
    And the history of "Amira Haddad" says "Personal data erased"
    And her consents for affordable credit given on Monday 2 March 2026 at 09:00 and Tuesday 3 March 2026 at 16:00 are still listed

  Scenario: Trustees can still see what an organisation could see of her
    When a trustee erases the personal data of "Amira Haddad"
    And a trustee asks what "Eden Valley Credit Union" could see between Monday 2 March 2026 at 09:00 and Saturday 7 March 2026 at 09:00
    Then the answer shows household finances and housing of "(erased member)"

  Scenario: The trustee is told she could be seen then, but not since her erasure
    When a trustee erases the personal data of "Amira Haddad"
    And a trustee asks whether "Eden Valley Credit Union" could see the housing of "Amira Haddad" on Thursday 5 March 2026 at 12:00, as it really was
    Then the trustee is told yes
    And the explanation names the member as "(erased member)"
    When a trustee asks whether "Eden Valley Credit Union" can see the housing of "Amira Haddad"
    Then the trustee is told no
    And the explanation says "The member had their personal data erased at 2026-03-06 10:00 UTC"

  Scenario: After erasure no organisation can read her data
    When a trustee erases the personal data of "Amira Haddad"
    And "Eden Valley Credit Union" asks to read the household finances and housing of "Amira Haddad" for affordable credit
    Then the read is refused
    And no organisation can see anything of "Amira Haddad"

  Scenario: A caseworker's read of her record stays in the history, without her name
    Given caseworker "Cal" has opened the page of "Amira Haddad"
    When a trustee erases the personal data of "Amira Haddad"
    Then the history of "Amira Haddad" says "Read by the trust's staff: the member's page."
    And the history shows that "caseworker:cal" read the record of "Amira Haddad"
    And "Amira Haddad" appears nowhere in what the trust shows
