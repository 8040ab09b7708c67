"""Locust users for the load benchmark (run by ``python -m bench.load``, not on their own).

40 coordinators browse the district with think time; 10 refugees register
themselves, each in another language, through the same forms a phone
would use. Every user also asks for ``/healthz`` now and then: the trivial
page measured under the same load. ``BENCH_THINK=0`` drops the think time
(the saturation run). Ids to visit come from ``BENCH_IDS`` (a JSON file).
"""

import json
import os
import random
import re
import time

from locust import HttpUser, between, constant, task

IDS = json.load(open(os.environ["BENCH_IDS"]))
THINK = between(2, 6) if os.environ.get("BENCH_THINK", "1") != "0" else constant(0)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
REFUGEE_LANGUAGES = ["ar", "fa", "ps", "ti", "ku", "uk", "ru", "tr"]


def csrf_token(response) -> str:
    match = CSRF.search(response.text)
    if match is None:
        response.failure("no CSRF token on the page")
        return ""
    return match.group(1)


def page(path: str, name: str):
    def visit(user):
        user.client.get(
            path.format(
                **{
                    key: random.choice(IDS[key])
                    for key in ("refugees", "volunteers", "agreements", "groups", "localities")
                }
            ),
            name=name,
        )

    visit.__name__ = name
    return visit


# (path, name for the statistics, weight): the coordinator's menu, the lists with filters and the detail pages
COORDINATOR_PAGES = [
    ("/coordination/", "/coordination/", 3),
    ("/refugees/", "/refugees/", 3),
    ("/refugees/?locality={localities}&need=mentoring", "/refugees/?filters", 1),
    ("/refugees/?q=moha", "/refugees/?q=name", 1),
    ("/refugees/{refugees}", "/refugees/<id>", 3),
    ("/volunteers/", "/volunteers/", 2),
    ("/volunteers/{volunteers}", "/volunteers/<id>", 2),
    ("/sponsorships/", "/sponsorships/", 2),
    ("/sponsorships/{agreements}", "/sponsorships/<id>", 2),
    ("/matching/", "/matching/", 1),
    ("/matching/unmatched", "/matching/unmatched", 1),
    ("/groups/", "/groups/", 1),
    ("/groups/{groups}", "/groups/<id>", 1),
    ("/appointments/", "/appointments/", 1),
    ("/inbox/", "/inbox/", 1),
    ("/healthz", "trivial: /healthz", 1),
]


class Coordinator(HttpUser):
    fixed_count = 40
    wait_time = THINK
    tasks = {page(path, name): weight for path, name, weight in COORDINATOR_PAGES}

    def on_start(self):
        with self.client.get("/auth/login", name="/auth/login", catch_response=True) as login_page:
            token = csrf_token(login_page)
        # All 40 share the demo's district-wide account, and of two logins of one account that count their
        # attempt at the same moment the throttle refuses one (app/security/throttle.py): such a 429 is
        # listed under a name of its own, and the user tries again a second later, as a person would.
        for _attempt in range(5):
            with self.client.post(
                "/auth/login",
                data={"csrf_token": token, "identifier": IDS["coordinator"], "password": IDS["password"]},
                name="/auth/login (POST)",
                allow_redirects=False,  # the overview it leads to is one of the tasks
                catch_response=True,
            ) as response:
                if response.status_code != 429:
                    return
                response.request_meta["name"] = "/auth/login (POST) refused: same account at the same moment"
                response.success()
            time.sleep(1)


STEPS = {
    1: {"gender": "f", "birth_year": "1991", "members-0-relation": "child", "members-0-age": "6"},
    2: {"languages-0-language": None, "languages-0-level": "native", "german_level": "A1"},
    3: {"needs": ["paperwork", "german_practice"], "urgent": ["paperwork"]},
    4: {"locality_id": None, "travel_km": "5", "slots": ["tue-afternoon", "thu-morning"]},
    5: {
        "preferred_mentor_gender": "",
        "interests": ["football", "cooking"],
        "interests_note": "",
        "residence_status": "",
        "protection_notes": "",
    },
}


class Refugee(HttpUser):
    fixed_count = 10
    wait_time = THINK

    @task
    def register(self):
        self.client.cookies.clear()
        language = random.choice(REFUGEE_LANGUAGES)
        self.client.get(f"/welcome/?lang={language}", name="/welcome/")
        with self.client.get(f"/welcome/account?lang={language}", name="/welcome/account", catch_response=True) as page:
            token = csrf_token(page)
        password = "ein langes passwort"
        self.client.post(
            "/welcome/account",
            data={
                "csrf_token": token,
                "full_name": f"Bench {random.randrange(10**9)}",
                "phone": f"+49157{random.randrange(10**8):08d}",
                "password": password,
                "password_confirm": password,
                "consent_matching": "y",
            },
            name="/welcome/account (POST)",
        )
        for step, answers in STEPS.items():
            with self.client.get(f"/welcome/step/{step}", name=f"/welcome/step/{step}", catch_response=True) as page:
                token = csrf_token(page)
            data = {**answers, "csrf_token": token}
            if step == 2:
                data["languages-0-language"] = language
            if step == 4:
                data["locality_id"] = random.choice(IDS["localities"])
            with self.client.post(
                f"/welcome/step/{step}", data=data, name=f"/welcome/step/{step} (POST)", catch_response=True
            ) as response:
                if "/welcome/" not in response.url or response.url.endswith(f"/step/{step}"):
                    response.failure(f"step {step} was not accepted")
            self.wait()
        self.client.get("/healthz", name="trivial: /healthz")
