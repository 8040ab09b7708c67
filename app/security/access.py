"""Who may use each page, declared in one place.

The views enforce it (``role_required`` and the record checks in each
package); this table says what they must enforce, route by route, and
``tests/security/test_access_matrix.py`` holds every route of the URL map
to it for each kind of visitor. A route that is not declared here fails
that test, so nobody adds a page without deciding who may use it.

``ANONYMOUS`` is a visitor who is not logged in. Some pages are open to
more people for their own records than the roles listed: the parties of a
sponsorship (agreements), the leads of a working group (members, contact
lists); that is noted beside them and tested in the feature packages.
"""

from app.models import Role

ANONYMOUS = "anonymous"
PRINCIPALS = (ANONYMOUS, Role.VOLUNTEER, Role.REFUGEE, Role.COORDINATOR, Role.ADMIN, Role.DPO)

EVERYONE = frozenset(PRINCIPALS)
SIGNED_IN = frozenset(Role)
STAFF = frozenset({Role.COORDINATOR, Role.ADMIN})
ADMIN = frozenset({Role.ADMIN})
VOLUNTEERS = frozenset({Role.VOLUNTEER})
REFUGEES = frozenset({Role.REFUGEE})
# The data-protection officer reads the audit log and nothing else.
AUDIT_READERS = frozenset({Role.ADMIN, Role.DPO})
# Staff may set up two-factor authentication (coordinators and admins must, with REQUIRE_STAFF_2FA).
TWO_FACTOR = STAFF | {Role.DPO}

ACCESS: dict[str, frozenset] = {
    "/static/<path:filename>": EVERYONE,
    "/": EVERYONE,
    "/language": EVERYONE,
    # Accounts
    "/auth/register": EVERYONE,
    "/auth/confirm/<token>": EVERYONE,
    "/auth/login": EVERYONE,
    "/auth/logout": SIGNED_IN,
    "/auth/logout-everywhere": SIGNED_IN,
    "/auth/reset": EVERYONE,
    "/auth/reset/<token>": EVERYONE,
    "/auth/reset/sms": EVERYONE,
    "/auth/reset/code": EVERYONE,
    "/auth/consents": VOLUNTEERS | REFUGEES,
    # The code after the password; it sends everyone without a password just given back to the login
    "/auth/login/code": EVERYONE,
    "/auth/two-factor/": TWO_FACTOR,
    "/auth/two-factor/disable": TWO_FACTOR,
    # Refugees: self-registration, the own record, access codes; assisted intake by coordination
    "/welcome/": EVERYONE,
    "/welcome/account": EVERYONE,
    "/welcome/code": EVERYONE,
    "/welcome/me": REFUGEES,
    "/welcome/step/<int:step>": REFUGEES,
    "/welcome/<int:profile_id>/step/<int:step>": STAFF,
    "/welcome/assisted": STAFF,
    "/welcome/<int:profile_id>/slip": STAFF,
    # Volunteers: the own questionnaire and status; the coordinators' list and details
    "/volunteers/questionnaire/<int:step>": VOLUNTEERS,
    "/volunteers/me": VOLUNTEERS,
    "/volunteers/me/pause": VOLUNTEERS,
    "/volunteers/me/resume": VOLUNTEERS,
    "/volunteers/me/withdraw": VOLUNTEERS,
    "/volunteers/": STAFF,
    "/volunteers/<int:profile_id>": STAFF,
    "/volunteers/<int:profile_id>/clearance": STAFF,
    # Refugee records (residence status, protection needs): coordination only
    "/refugees/": STAFF,
    "/refugees/<int:profile_id>": STAFF,
    "/refugees/<int:profile_id>/merge": STAFF,
    "/refugees/<int:profile_id>/hand-over": STAFF,
    "/coordination/": STAFF,
    "/coordination/recount": STAFF,
    # Working groups: volunteers see and join them; leads manage their own group's members and lists
    "/groups/": VOLUNTEERS | STAFF,
    "/groups/new": STAFF,
    "/groups/<int:group_id>": VOLUNTEERS | STAFF,
    "/groups/<int:group_id>/join": VOLUNTEERS,
    "/groups/<int:group_id>/edit": STAFF,
    "/groups/<int:group_id>/proposals": STAFF,
    "/groups/<int:group_id>/members/<int:membership_id>": STAFF,  # and the group's leads
    "/groups/<int:group_id>/contacts.<fmt>": STAFF,  # and the group's leads
    "/groups/<int:group_id>/contacts": STAFF,  # and the group's leads
    # The meeting calendar holds no personal data; its unguessable token is the permission
    "/groups/calendar/<token>.ics": EVERYONE,
    # Matching
    "/matching/": STAFF,
    "/matching/run": STAFF,
    "/matching/proposals/<int:proposal_id>/accept": STAFF,
    "/matching/proposals/<int:proposal_id>/reject": STAFF,
    "/matching/proposals/<int:proposal_id>/swap": STAFF,
    "/matching/proposals/<int:proposal_id>/alternatives": STAFF,
    "/matching/proposals/decide": STAFF,
    "/matching/unmatched": STAFF,
    "/matching/runs/<int:run_id>": STAFF,
    "/matching/runs/<int:run_id>.json": STAFF,
    # Sponsorship agreements: coordination, and the parties of each for their own
    "/sponsorships/": STAFF,
    "/sponsorships/mine": VOLUNTEERS | REFUGEES,
    "/sponsorships/<int:agreement_id>": STAFF,  # and its parties
    "/sponsorships/<int:agreement_id>/document": STAFF,  # and its parties
    "/sponsorships/<int:agreement_id>/certificate": STAFF,  # and its parties
    "/sponsorships/<int:agreement_id>/agree": STAFF,  # and its parties (coordination is refused by the rules)
    "/sponsorships/<int:agreement_id>/decline": STAFF,  # and its parties (coordination is refused by the rules)
    "/sponsorships/<int:agreement_id>/pick": STAFF,  # and its refugee (coordination is refused by the rules)
    "/sponsorships/<int:agreement_id>/check-in": STAFF,  # and its parties
    "/sponsorships/<int:agreement_id>/terms": STAFF,
    "/sponsorships/<int:agreement_id>/approve": STAFF,
    "/sponsorships/<int:agreement_id>/<any(end, cancel):action>": STAFF,
    "/sponsorships/<int:agreement_id>/renew": STAFF,
    # Appointments: coordination's overview, candidates, approval and payouts; refugees and sponsors ask;
    # volunteers answer offers (also by a signed link without logging in) and report; each side sees its own
    "/appointments/": STAFF,
    "/appointments/new": STAFF | REFUGEES | VOLUNTEERS,  # volunteers: sponsors, for their sponsored family
    "/appointments/mine": VOLUNTEERS | REFUGEES,
    "/appointments/<int:appointment_id>": STAFF | VOLUNTEERS | REFUGEES,  # the people involved
    "/appointments/<int:appointment_id>/review": STAFF,
    "/appointments/<int:appointment_id>/offer": STAFF,
    "/appointments/<int:appointment_id>/assign": STAFF,
    "/appointments/<int:appointment_id>/cancel": STAFF | VOLUNTEERS | REFUGEES,  # the people involved
    "/appointments/<int:appointment_id>/move": STAFF | VOLUNTEERS | REFUGEES,  # the people involved
    "/appointments/<int:appointment_id>/report": VOLUNTEERS,  # the volunteer booked
    "/appointments/<int:appointment_id>/approve": STAFF,
    "/appointments/offers/<int:offer_id>/<any(accept, decline):answer>": VOLUNTEERS,  # the volunteer asked
    # The signed link is the permission: it names one offer and cannot be guessed
    "/appointments/answer/<token>": EVERYONE,
    "/appointments/calendar/<token>.ics": EVERYONE,
    "/appointments/payouts": STAFF,
    "/appointments/payouts/<int:organisation_id>/<month>.<any(csv, xlsx):fmt>": STAFF,
    "/appointments/rates": STAFF,  # admins and organisation admins
    # Organisations and areas (admins); staff, their access and invitations (admins and organisation admins,
    # each for their own organisations: a policy, app/policies.py); the invited person's link; logos are public
    "/staff/": ADMIN,  # and organisation admins
    "/staff/invite": ADMIN,  # and organisation admins
    "/staff/memberships/<int:staff_membership_id>": ADMIN,  # and the admins of its organisation
    "/staff/memberships/<int:staff_membership_id>/deactivate": ADMIN,  # and the admins of its organisation
    "/staff/organisations/new": ADMIN,
    "/staff/organisations/<int:organisation_id>": ADMIN,
    "/staff/organisations/<int:organisation_id>/logo": EVERYONE,
    "/staff/areas/new": ADMIN,
    "/staff/areas/<int:area_id>": ADMIN,
    "/staff/join/<token>": EVERYONE,
    # Reference data
    "/admin/": ADMIN,
    "/admin/localities/new": ADMIN,
    "/admin/localities/<locality_id>": ADMIN,
    "/admin/categories/new": ADMIN,
    "/admin/categories/<key>": ADMIN,
    # Operations: background jobs and failed messages for admins; health checks for the load balancer
    "/admin/jobs/": ADMIN,
    "/admin/jobs/messages/<int:message_id>/retry": ADMIN,
    "/admin/jobs/queue/<job_id>/retry": ADMIN,
    # The audit log: admins and the data-protection officer
    # Legal pages for everyone; the records of processing (Art. 30 GDPR) for the data-protection officer
    "/imprint": EVERYONE,
    "/privacy": EVERYONE,
    "/accessibility": EVERYONE,
    "/logo": EVERYONE,
    "/records-of-processing": AUDIT_READERS,
    "/records-of-processing.md": AUDIT_READERS,
    "/audit/": AUDIT_READERS,
    "/audit/export.csv": AUDIT_READERS,
    # The inbox: everyone signed in, for their own entries only (another's entry answers 404)
    "/inbox/": SIGNED_IN,
    "/inbox/<int:notification_id>/read": SIGNED_IN,
    "/inbox/read": SIGNED_IN,
    "/inbox/settings": SIGNED_IN,
    # Privacy: everyone's own data, and erasure requests of volunteers and refugees (a policy refuses staff);
    # coordination sees the requests and, for people in its scope, their data and erasure
    "/me/data": SIGNED_IN,
    "/me/data.json": SIGNED_IN,
    "/me/erasure": SIGNED_IN,
    "/me/erasure/withdraw": SIGNED_IN,
    "/me/keep": SIGNED_IN,
    "/people/erasure-requests": STAFF,
    "/people/<int:user_id>/data": STAFF,
    "/people/<int:user_id>/data.json": STAFF,
    "/people/<int:user_id>/erase": STAFF,
    "/healthz": EVERYONE,
    "/readyz": EVERYONE,
}
