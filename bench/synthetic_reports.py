"""The synthetic population of the statistics benchmark (bench/insights_load.py), written with COPY.

Organisations, breaches (one or two per organisation, of Zipf-like sizes, occurred over the three years before
the reports end), people (one shared password hash), their exposures (most in one breach, some in two, a few
in none: the control group) and memberships (one organisation each, mostly their breach's), caller numbers
with their enrichment set directly (a country mix seen in Italian reports: IT, NG, IN, PK, BD, ID, …; carriers,
line types; the numbers need not be valid), and reports over the last two years: a baseline plus a surge
after each breach's disclosure, callers drawn from the breach's campaign numbers or, Zipf-like, from all,
realistic channels, scripts, brands and hours, about 0.5% hidden. Everything is clearly synthetic: e-mails
under .invalid, organisations named "Synthetic …".

Numbers are drawn with numpy in chunks and streamed into one COPY, so memory stays flat whatever the size.
The reports table loses its secondary indexes and foreign keys during the load and gets the same ones back
afterwards (built once instead of maintained row by row), then the caller numbers' counters are set from
the reports with apps.reports.scoring (the rule of caller_number_refresh(), set-based) and everything is
VACUUM ANALYZEd. Deterministic for a given seed and day.
"""

import datetime as dt
import json
import time

try:
    import numpy as np
except ImportError:  # pragma: no cover - bench only
    raise SystemExit(
        "The statistics benchmark needs numpy: .venv/bin/pip install numpy (not a site dependency)."
    ) from None

CHUNK = 250_000
TZ_OFFSET_HOURS = 1  # reports are drawn in Italian local time; UTC = local − 1 h (close enough for a bench)
SURGE_DAYS = 100  # mean length of a breach's surge, in days
HR_PASSWORD = "bench-hr-password-not-secret"  # noqa: S105

COUNTRIES = [  # (ISO, calling code, share of numbers, carriers)
    ("IT", "39", 22, ["TIM", "Vodafone", "WindTre", "Iliad", "Fastweb"]),
    ("NG", "234", 14, ["MTN Nigeria", "Airtel Nigeria", "Glo", "9mobile"]),
    ("IN", "91", 10, ["Reliance Jio", "Airtel", "Vodafone Idea", "BSNL"]),
    ("PK", "92", 8, ["Jazz", "Telenor", "Zong", "Ufone"]),
    ("BD", "880", 7, ["Grameenphone", "Robi", "Banglalink", "Teletalk"]),
    ("ID", "62", 6, ["Telkomsel", "Indosat Ooredoo", "XL Axiata"]),
    ("GB", "44", 4, ["EE", "Vodafone UK", "O2", "Three"]),
    ("US", "1", 4, [""]),
    ("AL", "355", 3, ["Vodafone Albania", "One Albania"]),
    ("TN", "216", 3, ["Ooredoo", "Orange", "Tunisie Telecom"]),
    ("PH", "63", 3, ["Globe", "Smart"]),
    ("EG", "20", 3, ["Vodafone", "Orange", "Etisalat", "WE"]),
    ("MA", "212", 2, ["Maroc Telecom", "Orange", "inwi"]),
    ("FR", "33", 2, ["Orange", "SFR", "Bouygues", "Free"]),
    ("ES", "34", 2, ["Movistar", "Vodafone", "Orange"]),
    ("DE", "49", 2, ["Telekom", "Vodafone", "O2"]),
    ("RO", "40", 2, ["Orange", "Vodafone", "Digi"]),
    ("", "882", 3, [""]),  # international networks: no country
]
COUNTRY_NAMES = {"IT": "Italia", "NG": "Nigeria", "IN": "India", "PK": "Pakistan", "BD": "Bangladesh",
                 "ID": "Indonesia", "GB": "Regno Unito", "US": "Stati Uniti", "AL": "Albania", "TN": "Tunisia",
                 "PH": "Filippine", "EG": "Egitto", "MA": "Marocco", "FR": "Francia", "ES": "Spagna",
                 "DE": "Germania", "RO": "Romania", "": ""}  # fmt: skip
LINE_TYPES = [("mobile", 62), ("fixed", 20), ("voip", 10), ("toll_free", 2), ("premium", 1), ("unknown", 5)]
CHANNELS = [("call", 40), ("sms", 15), ("whatsapp", 14), ("silent_call", 10), ("robocall", 9), ("telegram", 6),
            ("email", 3), ("other", 3)]  # fmt: skip
SCRIPTS = [("fake_amazon_voucher", 20), ("fake_tech_support", 12), ("trading_crypto", 18),
           ("fake_inps_ministry_police", 14), ("fake_bank_parcel", 16), ("job_offer", 8), ("other", 4),
           ("", 8)]  # fmt: skip
BRANDS = {  # brands callers pretended to be, by script (free text, as people type it)
    "fake_amazon_voucher": ["Amazon", "Amazon", "Amazon.it", "amazon"],
    "fake_tech_support": ["Microsoft", "Microsoft", "Windows"],
    "fake_inps_ministry_police": [
        "INPS",
        "INPS",
        "Polizia di Stato",
        "Agenzia delle Entrate",
        "Ministero della Salute",
    ],
    "fake_bank_parcel": ["Poste Italiane", "Poste Italiane", "Intesa Sanpaolo", "UniCredit", "BRT", "DHL"],
    "trading_crypto": ["Eni", "Binance"],
    "job_offer": ["Adecco"],
}
OUTCOMES = [("", 55), ("hung_up", 25), ("blocked", 15), ("gave_personal_data", 4), ("gave_card_data", 0.7),
            ("lost_money", 0.3)]  # fmt: skip
KNEW = [("[]", 50), ('["name"]', 30), ('["name", "birth_date"]', 10), ('["name", "contest_details"]', 10)]
HOURS = [1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 3, 6, 9, 10, 10, 8, 7, 9, 10, 10, 9, 8, 6, 4, 3, 2, 1.5]
ESTABLISHED = ["dataset_match", "invitation", "self_declared"]  # Exposure.Established values
DECLARED = ESTABLISHED.index("self_declared")
DATA_CATEGORIES = ["name", "birth_date", "phone", "email", "tax_code", "address", "contest_details", "employment"]


def _p(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


class Population:
    """Who is who: the arrays the reports are drawn from (sizes scale with `scale`)."""

    def __init__(
        self,
        *,
        people: int,
        numbers: int,
        breaches: int,
        organisations: int,
        today: dt.date,
        seed: int,
        first_breach_members: int | None = None,
        reporting_since_share: float = 0.0,
    ):
        """`first_breach_members`: exactly that many people have the first breach as their only exposure, all of
        them proven (bench/linkage_evidence.py: a breach of a given size). `reporting_since_share`: that share of
        the people say they reported every contact since a day of the window (User.reporting_since), so their
        observation windows start there instead of the day they joined. Both off: the population as before."""
        rng = np.random.default_rng(seed)
        self.rng = rng
        self.people, self.numbers, self.breaches, self.organisations = people, numbers, breaches, organisations
        # The reports' window: the 24 whole months before this one, and this month up to yesterday.
        first = dt.date(today.year - 2, today.month, 1)
        self.window_start, self.window_days = first, (today - first).days  # days 0 … window_days − 1
        self.today = today

        # Breaches: Zipf-like sizes; breach b belongs to organisation b (then 0, 1, … again for the second ones).
        rank_weight = 1.0 / (np.arange(breaches) + 1.0) ** 0.9
        self.breach_weight = rank_weight / rank_weight.sum()
        self.breach_org = np.arange(breaches) % organisations
        if breaches > organisations:
            self.breach_org[organisations:] = np.arange(breaches - organisations) % organisations
        # Occurred over the three years before the reports end (2023–2025 seen from late 2026), the biggest
        # breach 14 months before today so that the last 12 months hold its surge and its tail.
        span = (today - dt.date(today.year - 3, 1, 1)).days - 330
        occurred = rng.integers(0, span, breaches)
        occurred_dates = [dt.date(today.year - 3, 1, 1) + dt.timedelta(days=int(d)) for d in occurred]
        occurred_dates[0] = dt.date(today.year - 1, today.month, 1) - dt.timedelta(days=60)
        self.occurred = occurred_dates
        self.disclosed = [d + dt.timedelta(days=int(rng.integers(15, 120))) for d in occurred_dates]
        self.disclosed[0] = occurred_dates[0] + dt.timedelta(days=30)
        onset = np.array([(d - first).days for d in self.disclosed]) + rng.integers(2, 20, breaches)
        self.onset = onset  # window day the surge starts (may be before the window)
        lo = np.maximum(onset, 0)
        inside = np.where(
            onset < self.window_days,
            np.exp(-(lo - onset) / SURGE_DAYS) - np.exp(-(self.window_days - onset) / SURGE_DAYS),
            0.0,
        )
        self.surge_mass = inside  # share of the breach's surge that falls in the window

        # People: primary breach (4% in none: the control group), 10% a second one, one organisation.
        self.primary = rng.choice(breaches, size=people, p=self.breach_weight)
        self.primary[rng.random(people) < 0.04] = -1
        second = rng.choice(breaches, size=people, p=self.breach_weight)
        keep_second = (rng.random(people) < 0.10) & (self.primary >= 0) & (second != self.primary)
        self.second = np.where(keep_second, second, -1)
        own = self.breach_org[np.maximum(self.primary, 0)]
        neighbour = (own + 7 * rng.integers(1, 4, people)) % organisations  # a few other employers per breach
        self.org = np.where(rng.random(people) < 0.88, own, neighbour)
        self.org[self.primary < 0] = rng.integers(0, organisations, int((self.primary < 0).sum()))
        self.membership_active = rng.random(people) >= 0.02
        # How each person's breaches are established: 70% a dataset match, 20% an invitation (both proven), 10%
        # only their own declaration, which counts in no breach's figures (apps/insights/scopes.py). Nobody has a
        # verified phone, so a report weighs full only when its author is proven in a breach
        # (apps/reports/validation.py).
        self.established = np.random.default_rng(11).choice(3, size=people, p=[0.7, 0.2, 0.1])
        if first_breach_members is not None:
            chosen = np.random.default_rng(seed + 1).choice(people, size=first_breach_members, replace=False)
            others = rng.choice(np.arange(1, breaches), size=people, p=_p(self.breach_weight[1:]))
            self.primary = np.where(self.primary == 0, others, self.primary)
            self.second = np.where(self.second == 0, -1, self.second)
            self.second = np.where(self.second == self.primary, -1, self.second)
            self.primary[chosen], self.second[chosen] = 0, -1
            self.established[chosen] = np.where(self.established[chosen] == DECLARED, 0, self.established[chosen])
        self.reporting_since = np.where(
            rng.random(people) < reporting_since_share, rng.integers(0, max(self.window_days // 2, 1), people), -1
        ) if reporting_since_share else np.full(people, -1)  # fmt: skip
        self.low_weight = (self.primary < 0) | (self.established == DECLARED)
        activity = rng.lognormal(0.0, 1.0, people)
        mass = np.where(self.primary >= 0, self.surge_mass[np.maximum(self.primary, 0)], 0.0)
        base = np.where(self.primary >= 0, 0.5, 0.3)
        self.person_weight = _p(activity * (base + 2.0 * mass))
        self.surge_share = (2.0 * mass) / (base + 2.0 * mass)

        # Caller numbers: country, carrier, line type, and the channel and script each mostly uses.
        shares = _p([c[2] for c in COUNTRIES])
        self.number_country = rng.choice(len(COUNTRIES), size=numbers, p=shares)
        self.number_line_type = rng.choice(len(LINE_TYPES), size=numbers, p=_p([w for _, w in LINE_TYPES]))
        self.number_carrier_pick = rng.integers(0, 1000, numbers)
        self.number_channel = rng.choice(len(CHANNELS), size=numbers, p=_p([w for _, w in CHANNELS]))
        self.number_script = rng.choice(len(SCRIPTS), size=numbers, p=_p([w for _, w in SCRIPTS]))
        # Popularity: Zipf-like over a random order of the numbers (a few numbers call very many people).
        order = rng.permutation(numbers)
        popularity = np.empty(numbers)
        popularity[order] = 1.0 / (np.arange(numbers) + 20.0) ** 1.1
        self.number_weight = _p(popularity)
        # Campaigns: each breach's list is called by its own block of numbers (bigger breaches, more numbers).
        sizes = np.maximum(10, (30 + 600 * rank_weight / rank_weight[0]) * numbers / 200_000).astype(int)
        campaign_order = rng.permutation(numbers)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]) % numbers
        self.pool_start, self.pool_size, self.campaign_order = starts, sizes, campaign_order

    # --- rows of the small tables -----------------------------------------------------------------------

    def organisation_rows(self, now: str):
        for o in range(self.organisations):
            yield (o + 1, f"Synthetic Organisation {o + 1:03d}", f"synthetic-org-{o + 1:03d}", "",
                   "Synthetic benchmark data.", now)  # fmt: skip

    def breach_rows(self, now: str):
        rng = np.random.default_rng(7)
        registered = np.bincount(self.primary[self.primary >= 0], minlength=self.breaches)
        for b in range(self.breaches):
            categories = sorted(rng.choice(DATA_CATEGORIES, size=int(rng.integers(2, 6)), replace=False).tolist())
            title = f"Synthetic breach {b + 1:03d}"
            yield (b + 1, title, title, f"synthetic-breach-{b + 1:03d}", "Synthetic benchmark data.",
                   "Synthetic benchmark data.", self.occurred[b].isoformat(), self.occurred[b].isoformat(),
                   self.disclosed[b].isoformat(),
                   json.dumps(categories), int(registered[b] * rng.integers(5, 40)), "[]", True,
                   b in (57, 83), now, now, int(self.breach_org[b]) + 1)  # fmt: skip

    def user_rows(self, password_hash: str):
        joined = self.window_start - dt.timedelta(days=30)
        for p in range(self.people):
            since = self.reporting_since[p]
            since = (self.window_start + dt.timedelta(days=int(since))).isoformat() if since >= 0 else None
            yield (p + 1, password_hash, f"person{p + 1:06d}@bench.invalid", "", "", False, False, True,
                   f"{joined.isoformat()} 09:00:00+00", 0, since)  # fmt: skip

    def exposure_rows(self, now: str):
        n = 0
        for p in range(self.people):
            for b in (self.primary[p], self.second[p]):
                if b >= 0:
                    n += 1
                    yield (n, ESTABLISHED[self.established[p]], now, int(b) + 1, p + 1)

    def membership_rows(self, now: str):
        """One membership each; the first active member of every organisation is its HR."""
        seen = set()
        for p in range(self.people):
            org, active = int(self.org[p]), bool(self.membership_active[p])
            hr = active and org not in seen
            if hr:
                seen.add(org)
            yield ("hr" if hr else "member", "active" if active else "requested", "officer", now, None, org + 1, p + 1)

    def number_rows(self, now: str):
        for i in range(self.numbers):
            iso, code, _share, carriers = COUNTRIES[self.number_country[i]]
            line_type = LINE_TYPES[self.number_line_type[i]][0]
            if iso == "US":
                line_type = "fixed_or_mobile"
            carrier = carriers[self.number_carrier_pick[i] % len(carriers)] if line_type == "mobile" else ""
            subscriber = f"{(i * 7919) % 10**9:09d}"  # unique within a calling code
            yield (i + 1, f"+{code}{subscriber}", iso, COUNTRY_NAMES[iso], "", carrier, line_type, iso != "",
                   True, 0, 0, 0.0, 0.0, 0.0, False, False, "", now)  # fmt: skip

    # --- the reports -----------------------------------------------------------------------------------

    def report_chunks(self, total: int, chunk: int = CHUNK, *, brand_slugs: dict[str, str] | None = None):
        """COPY text of the reports, `chunk` rows at a time (ids 1 … total). `brand_slugs`: the curated brands'
        alias keys ({key: slug}, apps.reports.brands.brand_slugs_by_key()), so that typed brands map to curated
        ones as report_submit() maps them (only those are counted in the figures)."""
        from apps.reports.brands import brand_key

        brand_slugs = brand_slugs or {}
        brand_columns: dict[str, str] = {}  # typed text -> its "brand_key<TAB>curated_brand_id" columns

        def brand_cols(text: str) -> str:
            if text not in brand_columns:
                key = brand_key(text)
                brand_columns[text] = f"{key}\t{brand_slugs.get(key, '\\N') if key else '\\N'}"
            return brand_columns[text]

        rng = self.rng
        start_epoch = int(dt.datetime.combine(self.window_start, dt.time(), dt.UTC).timestamp())
        start_weekday = self.window_start.weekday()
        now_epoch = int(dt.datetime.combine(self.today, dt.time(), dt.UTC).timestamp()) - 3600
        hours_p, channels_p = _p(HOURS), _p([w for _, w in CHANNELS])
        scripts_p, outcomes_p, knew_p = (
            _p([w for _, w in SCRIPTS]),
            _p([w for _, w in OUTCOMES]),
            _p([w for _, w in KNEW]),
        )
        channel_names = np.array([c for c, _ in CHANNELS], dtype=object)
        script_names = [s for s, _ in SCRIPTS]
        outcome_names = np.array([o for o, _ in OUTCOMES], dtype=object)
        knew_names = np.array([k for k, _ in KNEW], dtype=object)
        silent = [c for c, _ in CHANNELS].index("silent_call")
        no_script = script_names.index("")
        W = self.window_days
        for first in range(0, total, chunk):
            n = min(chunk, total - first)
            person = rng.choice(self.people, size=n, p=self.person_weight)
            breach = self.primary[person]
            # When: a surge after the breach's onset (truncated exponential), or any day of the window.
            surge = (breach >= 0) & (rng.random(n) < self.surge_share[person])
            onset = self.onset[np.maximum(breach, 0)]
            lo = np.clip(onset, 0, W - 1)
            u = rng.random(n)
            tail = 1.0 - np.exp(-(W - lo) / SURGE_DAYS)
            surge_day = lo - SURGE_DAYS * np.log1p(-u * tail)
            day = np.where(surge, surge_day, rng.random(n) * W).astype(np.int64)
            day = np.clip(day, 0, W - 1)
            weekday = (day + start_weekday) % 7
            to_weekday = (weekday >= 5) & (rng.random(n) < 0.4)  # fewer calls at weekends
            day = np.where(to_weekday, np.maximum(day - (weekday - 4), 0), day)
            hour = rng.choice(24, size=n, p=hours_p)
            seconds = rng.integers(0, 3600, n)
            occurred = start_epoch + day * 86400 + (hour - TZ_OFFSET_HOURS) * 3600 + seconds
            created = np.minimum(occurred + rng.integers(300, 36000, n), now_epoch)
            # Who called: the breach's campaign numbers for half of the breach's people's contacts, else anyone.
            campaign = (breach >= 0) & (rng.random(n) < 0.55)
            b = np.maximum(breach, 0)
            k = (np.exp(rng.random(n) * np.log(self.pool_size[b] + 1.0)) - 1).astype(np.int64)  # Zipf-ish in the pool
            k = np.minimum(k, self.pool_size[b] - 1)
            from_pool = self.campaign_order[(self.pool_start[b] + k) % self.numbers]
            anyone = rng.choice(self.numbers, size=n, p=self.number_weight)
            caller = np.where(campaign, from_pool, anyone)
            # How and about what: mostly what the number usually does.
            channel = np.where(
                rng.random(n) < 0.7, self.number_channel[caller], rng.choice(len(CHANNELS), n, p=channels_p)
            )
            script = np.where(
                rng.random(n) < 0.75, self.number_script[caller], rng.choice(len(SCRIPTS), n, p=scripts_p)
            )
            script = np.where((channel == silent) & (rng.random(n) < 0.9), no_script, script)
            brand_pick, has_brand = rng.integers(0, 1000, n), rng.random(n) < 0.6
            long_tail = rng.random(n) < 0.002  # rare free-text brands: small cells
            outcome = rng.choice(len(OUTCOMES), n, p=outcomes_p)
            knew = rng.choice(len(KNEW), n, p=knew_p)
            hidden = rng.random(n) < 0.005
            via_api = rng.random(n) < 0.35
            occurred_text = np.datetime_as_string(occurred.astype("datetime64[s]"))
            created_text = np.datetime_as_string(created.astype("datetime64[s]"))
            brands = []
            for s, pick, has, tail_ in zip(
                script.tolist(), brand_pick.tolist(), has_brand.tolist(), long_tail.tolist(), strict=True
            ):
                if tail_:
                    brands.append(f"Brand {pick % 500}")
                elif has and script_names[s] in BRANDS:
                    options = BRANDS[script_names[s]]
                    brands.append(options[pick % len(options)])
                else:
                    brands.append("")
            ids = range(first + 1, first + n + 1)
            people = (person + 1).tolist()
            lows = self.low_weight[person].tolist()
            outcomes = outcome_names[outcome].tolist()
            losses = [
                str(100 + pick * 5) if o == "lost_money" else "\\N"
                for o, pick in zip(outcomes, brand_pick.tolist(), strict=True)
            ]
            lines = [
                f"{i}\t{who}\t{ch}\t{occ}+00\t{script_names[sc]}\t{br}\t{kn}\t{out}\t{loss}\t\t"
                f"{'t' if lw else 'f'}\t{'t' if hid else 'f'}\t{'duplicate' if hid else ''}\t"
                f"{'api' if api else 'form'}\t{cr}+00\t{cl}\t{who}\t{brand_cols(br)}\n"
                for i, who, ch, occ, sc, br, kn, out, loss, lw, hid, api, cr, cl in zip(
                    ids, people, channel_names[channel].tolist(), occurred_text.tolist(), script.tolist(), brands,
                    knew_names[knew].tolist(), outcomes, losses, lows, hidden.tolist(), via_api.tolist(),
                    created_text.tolist(), (caller + 1).tolist(), strict=True,
                )
            ]  # fmt: skip
            yield n, "".join(lines)


REPORT_COLUMNS = ("id, contributor, channel, occurred_at, script, impersonated_brand, caller_knew, outcome, loss_eur, "
                  "notes, low_weight, hidden, hidden_reason, via, created_at, caller_id, reporter_id, brand_key, "
                  "curated_brand_id")  # fmt: skip


def load(conn, population: Population, *, reports: int, password_hash: str, brand_slugs=None, progress=print) -> dict:
    """Write the population and `reports` reports into an empty, migrated database; returns the timings."""
    timings = {}
    now = dt.datetime.now(dt.UTC).isoformat()
    started = time.monotonic()
    with conn.cursor() as cur:
        copies = [
            ("breaches_organisation", "id, name, slug, website, description, created_at",
             population.organisation_rows(now)),
            ("breaches_breach", "id, title_it, title_en, slug, description_it, description_en, occurred_on, "
             "discovered_on, disclosed_on, data_categories, approx_people, sources, is_verified, is_sensitive, "
             "created_at, updated_at, organisation_id", population.breach_rows(now)),
            ("accounts_user", "id, password, email, display_name, preferred_language, is_staff, is_superuser, "
             "is_active, date_joined, session_epoch, reporting_since", population.user_rows(password_hash)),
            ("breaches_exposure", "id, established, created_at, breach_id, person_id", population.exposure_rows(now)),
            ("accounts_membership", "role, status, source, created_at, decided_at, organisation_id, person_id",
             population.membership_rows(now)),
            ("reports_callernumber", "id, e164, country, country_name, region, carrier, line_type, valid, possible, "
             "reports_count, reporters_count, evidence, legitimate_evidence, spam_confidence, is_public, "
             "is_allowlisted, allowlist_reason, created_at", population.number_rows(now)),
        ]  # fmt: skip
        for table, columns, rows in copies:
            with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 (our own table names)
                for row in rows:
                    copy.write_row(row)
        conn.commit()
        timings["people_and_numbers"] = time.monotonic() - started
        progress(
            f"  organisations, breaches, people, exposures, memberships, numbers: {timings['people_and_numbers']:.1f} s"
        )

        # The reports: secondary indexes and foreign keys off during the COPY, the same ones back after.
        started = time.monotonic()
        cur.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = 'reports_contactreport'::regclass AND NOT indisprimary"
        )
        indexes = cur.fetchall()
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'reports_contactreport'::regclass AND contype = 'f'"
        )
        foreign_keys = cur.fetchall()
        for name, _ in foreign_keys:
            cur.execute(f'ALTER TABLE reports_contactreport DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        written = 0
        with cur.copy(f"COPY reports_contactreport ({REPORT_COLUMNS}) FROM STDIN") as copy:  # noqa: S608
            for n, text in population.report_chunks(reports, brand_slugs=brand_slugs):
                copy.write(text)
                written += n
                if written % 1_000_000 < n:
                    progress(f"  reports: {written:,} ({time.monotonic() - started:.0f} s)")
        conn.commit()
        timings["reports_copy"] = time.monotonic() - started
        started = time.monotonic()
        cur.execute("SET maintenance_work_mem = '1GB'")
        for _name, definition in indexes:
            cur.execute(definition)
        for name, definition in foreign_keys:
            cur.execute(f'ALTER TABLE reports_contactreport ADD CONSTRAINT "{name}" {definition}')
        for table in ("breaches_organisation", "breaches_breach", "accounts_user", "breaches_exposure",
                      "accounts_membership", "reports_callernumber", "reports_contactreport"):  # fmt: skip
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608
        conn.commit()
        timings["reports_indexes"] = time.monotonic() - started
        progress(f"  reports COPY {timings['reports_copy']:.1f} s, indexes and keys {timings['reports_indexes']:.1f} s")
    return timings


def set_number_counters(conn) -> float:
    """Every number's counters from its visible reports, with the scoring rules of caller_number_refresh()."""
    from apps.reports import scoring

    started = time.monotonic()
    with conn.cursor() as cur:
        cur.execute(
            "SELECT caller_id, COUNT(*), COUNT(DISTINCT contributor), "
            "COUNT(DISTINCT CASE WHEN NOT low_weight THEN contributor END), MIN(occurred_at), MAX(occurred_at) "
            "FROM reports_contactreport WHERE NOT hidden GROUP BY caller_id"
        )
        rows = []
        for caller, reports, reporters, full, first, last in cur.fetchall():
            evidence = scoring.evidence_of(reporters=reporters, full_weight_reporters=full)
            rows.append((caller, first, last, reports, reporters, evidence,
                         round(scoring.wilson_lower_bound(evidence, 0), 4),
                         scoring.is_public(evidence=evidence, allowlisted=False)))  # fmt: skip
        cur.execute(
            "CREATE TEMPORARY TABLE bench_counters (id bigint, first_seen timestamptz, last_seen timestamptz, "
            "reports int, reporters int, evidence float8, confidence float8, public bool)"
        )
        with cur.copy("COPY bench_counters FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute(
            "UPDATE reports_callernumber n SET first_seen = c.first_seen, last_seen = c.last_seen, "
            "reports_count = c.reports, reporters_count = c.reporters, evidence = c.evidence, "
            "legitimate_evidence = 0, spam_confidence = c.confidence, is_public = c.public, refreshed_at = now() "
            "FROM bench_counters c WHERE n.id = c.id"
        )
        cur.execute("DROP TABLE bench_counters")
    conn.commit()
    return time.monotonic() - started
