Feature: Trustees run the trust from its web pages
  Trustees open and close the staff's accounts, approve and suspend the
  organisations that may read members' data, and answer for who could see a
  member's data at any past moment: as the system enforced it at the time, and
  as it really was once forms that reached the trust late are counted.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And trustee "Tess" has signed in

  Scenario: A trustee opens an account for a new caseworker, who signs in with a one-time link
    When trustee "Tess" opens a caseworker account for "dee"
    Then the page gives a one-time sign-in link for "dee"
    When "dee" follows the link and chooses a password
    Then "dee" is signed in, on the page "Find a member"
    And the link no longer works

  Scenario: Disabling an account signs the caseworker out at once
    Given trustee "Tess" has opened a caseworker account for "dee", who has chosen a password with the link
    And caseworker "dee" has searched for "Mary"
    When trustee "Tess" disables the account of "dee"
    Then the page says "Account disabled: it was signed out everywhere at once."
    When caseworker "dee" searches for "Mary"
    Then "dee" is sent to sign in, and told "Your session ended. Please sign in again."

  Scenario: A trustee approves an organisation under its data-sharing agreement
    When trustee "Tess" registers "Northern Community Fund", a funder
    Then the page says "Organisation registered. It sees nothing until approved."
    And the page reads:
      | Kind   | Funder            |
      | Status | awaiting approval |
    When trustee "Tess" approves "Northern Community Fund" under agreement "DSA-2026-07", signed on Friday 27 February 2026
    Then the page says "Organisation approved under the agreement."
    And the page reads:
      | Status    | approved                       |
      | Agreement | DSA-2026-07 signed 2026-02-27 |
    And the list of organisations shows "Northern Community Fund", a funder, as "approved" under agreement "DSA-2026-07"

  Scenario: Suspending an organisation refuses its API token at once
    Given "Eden Valley Credit Union", a social lender, has been approved by the trustees and given an API token
    And "Mary Atkinson" has filled in paper form "PF-1042" on Friday 27 February 2026, agreeing that every approved social lender may see her contact and household finances for affordable credit
    And caseworker "Cal" has registered "Mary Atkinson" from her paper form
    And caseworker "Cass" has confirmed the membership of "Mary Atkinson" in person
    And "Eden Valley Credit Union" has read the data of "Mary Atkinson" through the API for affordable credit
    When trustee "Tess" suspends "Eden Valley Credit Union" because "Agreement under review after a complaint"
    Then the page says "Organisation suspended: from now it can see nothing, and its tokens are refused."
    And the page reads:
      | Status | suspended |
    When "Eden Valley Credit Union" asks the API for the data of "Mary Atkinson" for affordable credit
    Then the API refuses with "The organisation is suspended; it may not read member data now."

  Scenario Outline: Who could see a member, as the system enforced it and as it really was
    Given "Eden Valley Credit Union", a social lender, has been approved by the trustees and given an API token
    And "Mary Atkinson" has filled in paper form "PF-1042" on Friday 27 February 2026, agreeing that every approved social lender may see her contact and household finances for affordable credit
    And caseworker "Cal" has registered "Mary Atkinson" from her paper form
    And it is Monday 2 March 2026 at 10:00
    And caseworker "Cass" has confirmed the membership of "Mary Atkinson" in person
    And it is Thursday 5 March 2026 at 10:00
    And caseworker "Cal" has recorded that "Mary Atkinson" withdrew her consent for affordable credit on paper form "PF-207", signed on Monday 2 March 2026 at 14:00
    When trustee "Tess" asks who could see "Mary Atkinson" on <moment>, <view>
    Then the answer names <organisations>

    Examples:
      | moment                         | view                      | organisations              |
      | Monday 2 March 2026 at 09:30   | as it really was          | no organisation            |
      | Monday 2 March 2026 at 12:00   | as it really was          | "Eden Valley Credit Union" |
      | Tuesday 3 March 2026 at 11:00  | as the system enforced it | "Eden Valley Credit Union" |
      | Tuesday 3 March 2026 at 11:00  | as it really was          | no organisation            |
      | Thursday 5 March 2026 at 10:00 | as the system enforced it | no organisation            |

  Scenario: A trustee downloads the answer as a spreadsheet file
    Given "Eden Valley Credit Union", a social lender, has been approved by the trustees and given an API token
    And "Mary Atkinson" has filled in paper form "PF-1042" on Friday 27 February 2026, agreeing that every approved social lender may see her contact and household finances for affordable credit
    And caseworker "Cal" has registered "Mary Atkinson" from her paper form
    And caseworker "Cass" has confirmed the membership of "Mary Atkinson" in person
    And it is Thursday 5 March 2026 at 10:00
    And caseworker "Cal" has recorded that "Mary Atkinson" withdrew her consent for affordable credit on paper form "PF-207", signed on Monday 2 March 2026 at 14:00
    When trustee "Tess" asks who could see "Mary Atkinson" on Tuesday 3 March 2026 at 11:00, as the system enforced it
    And trustee "Tess" downloads the answer as CSV
    Then the file "who-could-see.csv" says "Eden Valley Credit Union" could see contact and household finances for affordable credit
    When trustee "Tess" asks who could see "Mary Atkinson" on Tuesday 3 March 2026 at 11:00, as it really was
    And trustee "Tess" downloads the answer as CSV
    Then the file "who-could-see.csv" names no organisation

  Scenario: A caseworker cannot open the trustees' pages
    Given caseworker "Cal" has signed in
    When caseworker "Cal" opens each of the trustees' pages:
      | page                          |
      | the trustees' dashboard       |
      | the staff accounts            |
      | the organisations             |
      | the late-facts report         |
      | who could see a member's data |
    Then every one is refused with "Your account does not have a role that may open this page."
