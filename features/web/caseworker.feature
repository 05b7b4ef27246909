Feature: Caseworkers at the drop-in, on the trust's web pages
  Caseworkers copy members' paper forms into the trust's web pages, find
  members by name or by the reference code printed on their form, confirm
  memberships in person, and record withdrawals signed on paper. Someone
  registered on paper stays unconfirmed, and nothing they consented to lets any
  organisation see their data, until a second caseworker has confirmed the
  membership with them.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Eden Valley Credit Union", a social lender, has been approved by the trustees and given an API token
    And "Mary Atkinson" has filled in paper form "PF-1042" on Friday 27 February 2026, agreeing that every approved social lender may see her contact and household finances for affordable credit
    And caseworkers "Cal" and "Cass" have signed in

  Scenario: A caseworker registers a member from her paper form
    When caseworker "Cal" registers "Mary Atkinson" from her paper form
    Then the page says "Member registered with 1 consent. They stay unconfirmed until they confirm."
    And the page says "Not confirmed yet. No organisation can see this member's data until they confirm"
    And the page shows the reference code of "Mary Atkinson"
    And the page reads:
      | Status     | unconfirmed                                              |
      | Registered | 27 Feb 2026 via paper, by caseworker:cal (form PF-1042) |
      | Contact    | 07700 900123                                             |
    And the page shows her consent for affordable credit as "waiting for the member to confirm"

  Scenario Outline: A caseworker finds a member by the code on her form, or by her name
    Given caseworker "Cal" has registered "Mary Atkinson" from her paper form
    When caseworker "Cass" searches for <what>
    Then the search finds only "Mary Atkinson", with her reference code, as "unconfirmed"

    Examples:
      | what                                                                        |
      | the reference code of "Mary Atkinson"                                       |
      | the reference code of "Mary Atkinson", typed in lower case without the hyphen |
      | "atkin"                                                                     |

  Scenario: Until she is confirmed, the lender cannot read her data, and her own caseworker cannot confirm her
    Given caseworker "Cal" has registered "Mary Atkinson" from her paper form
    When "Eden Valley Credit Union" asks the API for the data of "Mary Atkinson" for affordable credit
    Then the API refuses with "No consent allows this organisation to read this member's data for this purpose."
    And trustee "Tess" finds in the history of "Mary Atkinson": "Eden Valley Credit Union was refused"
    When caseworker "Cal" tries to confirm the membership of "Mary Atkinson" in person
    Then the page says "A second caseworker, not the one who registered the member, must confirm."
    And the page for "Mary Atkinson" still says "Not confirmed yet."

  Scenario: Once a second caseworker confirms her in person, the lender can read what she agreed to
    Given caseworker "Cal" has registered "Mary Atkinson" from her paper form
    And it is Tuesday 3 March 2026 at 11:00
    When caseworker "Cass" confirms the membership of "Mary Atkinson" in person
    Then the page says "Membership confirmed. Their consents now take effect."
    And the page reads:
      | Status    | active      |
      | Confirmed | 03 Mar 2026 |
    And the page shows her consent for affordable credit as "active"
    When "Eden Valley Credit Union" asks the API for the data of "Mary Atkinson" for affordable credit
    Then the API gives her contact and household finances, and withholds the rest

  Scenario: A withdrawal signed on Monday and entered on Thursday stops reads at once, and is reported as late
    Given caseworker "Cal" has registered "Mary Atkinson" from her paper form
    And caseworker "Cass" has confirmed the membership of "Mary Atkinson" in person
    And it is Tuesday 3 March 2026 at 11:00
    And "Eden Valley Credit Union" has read the data of "Mary Atkinson" through the API for affordable credit
    And it is Thursday 5 March 2026 at 10:00
    When caseworker "Cal" records that "Mary Atkinson" withdrew her consent for affordable credit on paper form "PF-207", signed on Monday 2 March 2026 at 14:00
    Then the page says "Withdrawal recorded. No organisation can rely on this consent any more."
    And the page shows her consent for affordable credit as "withdrawn"
    When "Eden Valley Credit Union" asks the API for the data of "Mary Atkinson" for affordable credit
    Then the API refuses with "No consent allows this organisation to read this member's data for this purpose."
    When trustee "Tess" opens the late-facts report
    Then the report has an entry "Consent withdrawn: Mary Atkinson" reading:
      | Took effect         | 2026-03-02 14:00 UTC (14:00 GMT)                                     |
      | Recorded            | 2026-03-05 10:00 UTC (10:00 GMT) by caseworker cal (evidence PF-207) |
      | Meanwhile           | Eden Valley Credit Union could still see Mary Atkinson's data        |
      | Reads in the window | Eden Valley Credit Union read Mary Atkinson's                        |

  Scenario: A form with mistakes comes back with what was typed and a note beside each mistake, and nothing is recorded
    When caseworker "Cal" sends the paper form of "Mary Atkinson" with these mistakes:
      | field                                              | typed      |
      | Date the form was signed                           | 2026-03-09 |
      | Paper form reference                               |            |
      | Which postcode district do you live in? (e.g. CA1) | Carlisle   |
      | Affordable credit: Which data                      |            |
    Then the form comes back saying "There are 4 problems", keeping what was typed, with beside each field:
      | field                                              | error                                                        |
      | Date the form was signed                           | The date cannot be in the future.                            |
      | Paper form reference                               | Enter the form's reference.                                  |
      | Which postcode district do you live in? (e.g. CA1) | 'Carlisle' is not a valid answer for area                    |
      | Affordable credit: Which data                      | Tick at least one kind of data the member agreed to share. |
    And "Name or nickname" still says "Mary Atkinson"
    And "How to reach them (optional)" still says "07700 900123"
    When caseworker "Cal" searches for "Mary"
    Then the page says "No member matches."
    And trustee "Tess" sees "Members: 0" on the dashboard
