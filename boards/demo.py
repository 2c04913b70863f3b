"""Demo constitution: the boards of the five reference documents (SPEC s.1, s.3).

Idempotent: every row is found by a natural key and updated, so loading twice gives
the same counts. Posts, seats, voting rights, categories and quorum rules are as the
documents state; officers the documents name keep their names (with fictional
``.example`` addresses); unnamed posts get clearly fictional people whose addresses
are ``<post>@<partner>.example``. Where a document is silent the choice is marked
"demo assumption" below.

Other apps' demo modules find boards through ``demo_board(key)`` with the keys of
``BOARDS`` (pmg, ifpg, ie, jcg, wk_s75, wk_slg, ...).
"""

from __future__ import annotations

import re
import zlib
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from governance.demo import demo_person
from governance.models import Role, User

from .models import (
    Agreement,
    AuthorisedOfficer,
    Board,
    BusinessType,
    ChairTerm,
    Partner,
    PartnerKind,
    QuorumRule,
    Schedule,
    Seat,
    TermsOfReference,
)

SECRETARY = "secretary@demo.example"
MEMBER = "member@demo.example"
DEPUTY = "deputy@demo.example"

# key: (name, short name, kind, e-mail domain)
PARTNERS = {
    "pcc": (
        "Portsmouth City Council",
        "PCC",
        PartnerKind.LOCAL_AUTHORITY,
        "portsmouthcc",
    ),
    "pccg": (
        "NHS Portsmouth CCG",
        "Portsmouth CCG",
        PartnerKind.NHS_BODY,
        "portsmouthccg",
    ),
    "kcc": ("Kent County Council", "KCC", PartnerKind.LOCAL_AUTHORITY, "kentcc"),
    "wkccg": (
        "NHS West Kent CCG",
        "West Kent CCG",
        PartnerKind.NHS_BODY,
        "westkentccg",
    ),
    "hwlh": (
        "NHS High Weald Lewes Havens CCG",
        "HWLH CCG",
        PartnerKind.NHS_BODY,
        "hwlhccg",
    ),
    "kmpt": (
        "Kent and Medway NHS and Social Care Partnership Trust",
        "KMPT",
        PartnerKind.PROVIDER,
        "kmpt",
    ),
    "mtw": (
        "Maidstone and Tunbridge Wells NHS Trust",
        "MTW",
        PartnerKind.PROVIDER,
        "mtw",
    ),
    "kchft": ("Kent Community Health NHS Trust", "KCHT", PartnerKind.PROVIDER, "kcht"),
    "lcc": (
        "Leicestershire County Council",
        "LCC",
        PartnerKind.LOCAL_AUTHORITY,
        "leicscc",
    ),
    "elr": (
        "NHS East Leicestershire and Rutland CCG",
        "EL&R CCG",
        PartnerKind.NHS_BODY,
        "elrccg",
    ),
    "wl": (
        "NHS West Leicestershire CCG",
        "WL CCG",
        PartnerKind.NHS_BODY,
        "westleicsccg",
    ),
    "emas": (
        "East Midlands Ambulance Service NHS Trust",
        "EMAS",
        PartnerKind.PROVIDER,
        "emas",
    ),
    "uhl": (
        "University Hospitals of Leicester NHS Trust",
        "UHL",
        PartnerKind.PROVIDER,
        "uhl",
    ),
    "lpt": ("Leicestershire Partnership NHS Trust", "LPT", PartnerKind.PROVIDER, "lpt"),
    "healthwatch": (
        "Healthwatch Leicestershire",
        "Healthwatch",
        PartnerKind.OTHER,
        "healthwatchleics",
    ),
    # Demo assumption: kind "other", not local_authority, so the IE's "1 must be a
    # representative from Leicestershire County Council" (a partner-kind minimum of
    # local_authority in the quorum engine) counts the County Council only.
    "districts": (
        "Leicestershire District Councils",
        "District Councils",
        PartnerKind.OTHER,
        "leicsdistricts",
    ),
}

PMG = "Better Care & Integrated Commissioning Service Partnership Management Group"
BOARDS = {
    "pmg": PMG,
    "ifpg": "Integration Finance and Performance Group",
    "ie": "Leicestershire Integration Executive",
    "jcg": "Leicestershire Joint Commissioning Group",
    "leics_hwb": "Leicestershire Health and Wellbeing Board",
    "wk_s75": "West Kent Section 75 Group",
    "wk_slg": "West Kent System Leadership Group",
    "wk_mtf": "Mapping the Future Leadership Forum",
    "wk_hwb": "West Kent Health and Wellbeing Board",
}

# Recorded only as the end of a reporting line: their business is not kept here, so
# the demo secretary does not serve them (and their empty constitution raises no
# alerts on the secretary's dashboard).
REPORTING_ONLY = {"leics_hwb", "wk_hwb"}

FIRST = [
    "Alex",
    "Bea",
    "Cam",
    "Dev",
    "Eli",
    "Fran",
    "Gus",
    "Hana",
    "Ira",
    "Jules",
    "Kit",
    "Lou",
    "Max",
    "Nia",
    "Oli",
    "Pip",
    "Quinn",
    "Rae",
    "Sol",
    "Tam",
]
LAST = [
    "Example",
    "Sample",
    "Placeholder",
    "Demo",
    "Fictional",
    "Testington",
    "Mockley",
    "Specimen",
    "Dummyfield",
    "Madeup",
    "Notreal",
    "Pretendson",
]


def demo_board(key: str) -> Board:
    return Board.objects.get(name=BOARDS[key])


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50]


def _fictional(post: str, partner_key: str, *, deputy: bool = False) -> User:
    """A clearly fictional person for an unnamed post, the same on every load."""
    domain = PARTNERS[partner_key][3]
    seed = zlib.crc32(f"{post}|{partner_key}|{deputy}".encode())
    name = f"{FIRST[seed % len(FIRST)]} {LAST[(seed // 7) % len(LAST)]}"
    prefix = "deputy-" if deputy else ""
    title = f"Deputy to the {post}" if deputy else post
    return demo_person(
        f"{prefix}{_slug(post)}@{domain}.example", name, Role.MEMBER, title
    )


def _named(name: str, post: str, partner_key: str) -> User:
    domain = PARTNERS[partner_key][3]
    return demo_person(
        f"{_slug(name).replace('-', '.')}@{domain}.example", name, Role.MEMBER, post
    )


class Loader:
    """Builds the demo constitution; each method is idempotent."""

    def __init__(self):
        self.today = timezone.localdate()
        self.p: dict[str, Partner] = {}
        self.secretary = demo_person(SECRETARY, "Sam Secretary", Role.SECRETARY)

    # --- rows ------------------------------------------------------------------------

    def partners(self):
        for key, (name, short, kind, _) in PARTNERS.items():
            self.p[key], _ = Partner.objects.update_or_create(
                name=name, defaults={"short_name": short, "kind": kind, "active": True}
            )

    def agreement(self, name, *, partners, host, starts_on, **fields) -> Agreement:
        agreement, _ = Agreement.objects.update_or_create(
            name=name,
            defaults={"host_partner": self.p[host], "starts_on": starts_on, **fields},
        )
        agreement.partners.set([self.p[k] for k in partners])
        return agreement

    def schedule(self, agreement, number, name, description=""):
        Schedule.objects.update_or_create(
            agreement=agreement,
            name=name,
            defaults={"number": number, "description": description},
        )

    def officer(self, agreement, partner_key, name, post):
        email = f"{_slug(post)}@{PARTNERS[partner_key][3]}.example"
        AuthorisedOfficer.objects.update_or_create(
            agreement=agreement,
            partner=self.p[partner_key],
            email=email,
            defaults={"name": name, "active": True},
        )

    def board(self, key, *, partners, **fields) -> Board:
        board, _ = Board.objects.update_or_create(name=BOARDS[key], defaults=fields)
        board.partners.set([self.p[k] for k in partners])
        if key in REPORTING_ONLY:
            board.secretaries.remove(self.secretary)
        else:
            board.secretaries.add(self.secretary)
        return board

    def seat(
        self,
        board,
        order,
        title,
        partner_key,
        *,
        voting=True,
        categories=(),
        holder=None,
        deputy=None,
        notified=True,
        limit=None,
        alternate_chair=False,
    ) -> Seat:
        """``holder``/``deputy``: a User, a name the document gives, None for a
        fictional person, or False for nobody (a vacant post / no deputy)."""
        if holder is None:
            holder = _fictional(title, partner_key)
        elif isinstance(holder, str):
            holder = _named(holder, title, partner_key)
        elif holder is False:
            holder = None
        if deputy is None:
            deputy = _fictional(title, partner_key, deputy=True)
        elif deputy is False:
            deputy = None
        seat, _ = Seat.objects.update_or_create(
            board=board,
            title=title,
            defaults={
                "partner": self.p[partner_key],
                "voting": voting,
                "categories": sorted(categories),
                "holder": holder,
                "deputy": deputy,
                "deputy_notified_on": (
                    self.today - timedelta(days=30) if deputy and notified else None
                ),
                "delegated_authority_limit": limit,
                "is_alternate_chair": alternate_chair,
                "order": order,
                "active": True,
            },
        )
        return seat

    def rule(self, board, business_type=BusinessType.ROUTINE, **fields):
        defaults = {
            "min_present": 0,
            "min_voting_per_partner": 0,
            "min_any_per_partner": 0,
            "category_minimums": {},
            "per_partner_category_minimums": {},
            "partner_kind_minimums": {},
            "chair_required": False,
            **fields,
        }
        QuorumRule.objects.update_or_create(
            board=board, business_type=business_type, defaults=defaults
        )

    def terms(self, board, version, **fields):
        TermsOfReference.objects.update_or_create(
            board=board, version=version, defaults=fields
        )

    def chair(
        self, board, person, starts_on, *, seat=None, partner_key=None, ends_on=None
    ):
        """A past term is found by its start; the term in office by having no end,
        so reloading on another day moves it rather than adding one."""
        fields = {
            "person": person,
            "seat": seat,
            "partner": self.p[partner_key]
            if partner_key
            else (seat.partner if seat else None),
            "starts_on": starts_on,
            "ends_on": ends_on,
        }
        if ends_on is None:
            ChairTerm.objects.update_or_create(
                board=board, ends_on=None, defaults=fields
            )
        else:
            ChairTerm.objects.update_or_create(
                board=board, starts_on=starts_on, defaults=fields
            )

    def mark_chair(self, board, seat):
        Seat.objects.filter(board=board).exclude(pk=seat.pk).update(is_chair=False)
        Seat.objects.filter(pk=seat.pk).update(is_chair=True)

    # --- the boards -----------------------------------------------------------------

    def load(self):
        self.partners()
        self.portsmouth()
        self.leicestershire()
        self.west_kent()

    def portsmouth(self):
        """Portsmouth PMG terms of reference and the 2022 cabinet report."""
        agreement = self.agreement(
            "Portsmouth overarching section 75 agreement",
            partners=["pcc", "pccg"],
            # Demo assumption: the report names no host; the council hosts here.
            host="pcc",
            starts_on=date(2022, 4, 1),
            dispute_resolution=(
                "The dispute resolution procedure set out in the Agreement "
                "(PMG ToR 4.3)."
            ),
        )
        schedules = [
            ("1", "Better Care Fund", "Refreshed BCF plan (cabinet report 7.4)."),
            ("2", "Continuing Health Care", "CHC provision and commissioning."),
            (
                "3",
                "Health and Care Portsmouth / enabling functions",
                "Commissioning functions, staffing, data, safeguarding and quality.",
            ),
            (
                "4",
                "Children's services",
                "Mental health, social care, early intervention and SEND.",
            ),
            (
                "5",
                "Vulnerable adults",
                "Substance misuse, rough sleeping, mental health, learning "
                "disabilities, domestic abuse, community safety.",
            ),
            ("6", "Health and Wellbeing", "Public health, primary care and acute."),
            ("7", "Section 256 arrangements", "Provision for s256 agreements (7.2)."),
            (
                "8",
                "Financial governance",
                "Risk share: each partner bears its own "
                "overspends; agreed underspends may return to the contributor (7.2).",
            ),
        ]
        for number, name, description in schedules:
            self.schedule(agreement, number, name, description)
        self.officer(agreement, "pcc", "Robin Example", "Director of Finance")
        self.officer(agreement, "pccg", "Jordan Sample", "Chief Finance Officer")

        board = self.board(
            "pmg",
            partners=["pcc", "pccg"],
            short_name="Portsmouth PMG",
            agreement=agreement,
            purpose="Oversees the S75 agreements for the Better Care Fund and the "
            "Integrated Commissioning Service (PMG ToR 2.1); gives direction to the "
            "BCF delivery leads group (10.1).",
            decision_making=True,
            decision_rule=Board.DecisionRule.UNANIMOUS,
            escalation=Board.Escalation.DISPUTE_RESOLUTION,
            chair_casting_vote=False,
            minutes_deadline_days=7,
            meeting_frequency_months=2,
            extraordinary_notice_clear_days=3,
            papers_working_days=4,
            chair_arrangement=Board.ChairArrangement.ALTERNATE_CHAIRS,
            chair_term_months=None,
        )
        member = demo_person(MEMBER, "Morgan Member", Role.MEMBER)
        deputy = demo_person(DEPUTY, "Dana Deputy", Role.MEMBER)
        # PMG ToR 1.1, in order.
        self.seat(
            board,
            1,
            "CCG Chief Operating Officer / Director of Adult Social Care Services",
            "pccg",
            voting=False,
            alternate_chair=True,
            categories=["commissioning_lead", "social_care"],
            deputy=False,
        )
        self.seat(
            board,
            2,
            "CCG Chief Finance Officer",
            "pccg",
            categories=["finance"],
            holder=member,
            deputy=deputy,
            limit=Decimal("1000000.00"),
        )
        ceo = self.seat(
            board,
            3,
            "Council Chief Executive",
            "pcc",
            alternate_chair=True,
            limit=Decimal("2000000.00"),
        )
        self.seat(
            board,
            4,
            "Council s151 Officer",
            "pcc",
            voting=False,
            categories=["finance"],
            deputy=False,
        )
        self.seat(
            board,
            5,
            "Director of Better Care Programme for the Council and CCG",
            "pcc",
            voting=False,
            categories=["commissioning_lead"],
            deputy=False,
        )
        self.seat(
            board,
            6,
            "Director of Quality and Commissioning, NHS Portsmouth CCG",
            "pccg",
            voting=False,
            categories=["clinical", "commissioning_lead"],
            deputy=False,
        )
        self.seat(
            board,
            7,
            "Deputy Director of Adult Social Care Services",
            "pcc",
            voting=False,
            categories=["social_care"],
            deputy=False,
        )
        # PMG 4.2: one voting representative from each partner, a notified deputy
        # counting.
        self.rule(board, min_voting_per_partner=1)
        # The ToR table: reviewed by PMG 30/03/17, approved by the Clinical Executive
        # Committee on "TBC"; review at least every three years -- so past review.
        self.terms(
            board,
            "2",
            summary="Current version (first version superseded).",
            reviewed_by="Partnership Management Group",
            reviewed_on=date(2017, 3, 30),
            approved_by="Clinical Executive Committee",
            approved_on=None,
            review_due=date(2020, 3, 30),
        )
        # Demo assumption: the Council Chief Executive is the alternate chair in office.
        self.chair(board, ceo.holder, date(2025, 4, 1), seat=ceo)
        self.mark_chair(board, ceo)

    def leicestershire(self):
        """Leicestershire HWB report 2018 (IFPG, IE) and the JCG ToR 2020."""
        agreement = self.agreement(
            "Leicestershire Better Care Fund section 75 agreement",
            partners=["lcc", "elr", "wl"],
            # Demo assumption: the report names no host; the County Council hosts.
            host="lcc",
            starts_on=date(2018, 4, 1),
            dispute_resolution="Escalation to the Authorised Officers, then the "
            "Dispute Resolution procedure of the relevant section 75 Agreement.",
        )
        self.schedule(agreement, "1", "Better Care Fund pooled budget")
        self.schedule(agreement, "2", "Learning Disabilities pooled budget")
        self.schedule(agreement, "3", "Menorrhagia Services budget")
        self.officer(
            agreement, "lcc", "Casey Example", "Director of Corporate Resources"
        )
        self.officer(agreement, "elr", "Riley Sample", "Chief Finance Officer")
        self.officer(agreement, "wl", "Morgan Placeholder", "Chief Finance Officer")

        hwb = self.board(
            "leics_hwb",
            partners=["lcc", "elr", "wl"],
            purpose="Recorded here as the body the Integration Executive reports to; "
            "its own business is not kept in this product.",
            decision_making=True,
            chair_arrangement=Board.ChairArrangement.APPOINTED,
        )
        ie = self.board(
            "ie",
            partners=[
                "lcc",
                "wl",
                "elr",
                "emas",
                "uhl",
                "lpt",
                "healthwatch",
                "districts",
            ],
            short_name="IE",
            agreement=agreement,
            reports_to=hwb,
            purpose="Leadership, direction and assurance on behalf of the Leicestershire "
            "Health and Wellbeing Board; consultee of the IFPG.",
            decision_making=True,
            decision_rule=Board.DecisionRule.UNANIMOUS,
            escalation=Board.Escalation.DISPUTE_RESOLUTION,
            minutes_deadline_days=7,
            meeting_frequency_months=2,
            papers_working_days=4,
            chair_arrangement=Board.ChairArrangement.ALTERNATION,
            chair_term_months=24,
        )
        ie_seats = [
            ("Director of Adults and Communities", "lcc", ["social_care"]),
            ("Director of Public Health", "lcc", ["public_health"]),
            ("Director of Children and Families Services", "lcc", ["social_care"]),
            (
                "Managing Director, West Leicestershire CCG",
                "wl",
                ["commissioning_lead"],
            ),
            (
                "Managing Director, East Leicestershire and Rutland CCG",
                "elr",
                ["commissioning_lead"],
            ),
            ("Clinical Chair, West Leicestershire CCG", "wl", ["clinical"]),
            (
                "Clinical Vice Chair, East Leicestershire and Rutland CCG",
                "elr",
                ["clinical"],
            ),
            ("Director representative, EMAS", "emas", ["provider"]),
            ("Director representative, UHL", "uhl", ["provider"]),
            ("Director representative, LPT", "lpt", ["provider"]),
            ("Representative of Local Healthwatch", "healthwatch", ["lay"]),
            ("Officer representative, District Councils", "districts", []),
            ("Director of Resources, LCC", "lcc", ["finance"]),
            # Demo assumption: one seat "representing both CCGs", held through WL CCG.
            ("Director of Finance representing both CCGs", "wl", ["finance"]),
            (
                "Director of Health and Care Integration (Joint Appointment)",
                "lcc",
                ["commissioning_lead"],
            ),
        ]
        seats = {}
        for order, (title, partner, categories) in enumerate(ie_seats, start=1):
            holder = (
                "Cheryl Davenport" if "Health and Care Integration" in title else None
            )
            seats[title] = self.seat(
                ie,
                order,
                title,
                partner,
                categories=categories,
                holder=holder,
                alternate_chair=title.startswith("Clinical"),
            )
        # IE quoracy: 6 members, at least 1 clinical, 1 County Council, 1 provider
        # (routine); 1 clinical, 1 CCG, 1 County Council (joint commissioning).
        self.rule(
            ie,
            min_present=6,
            category_minimums={"clinical": 1},
            partner_kind_minimums={"local_authority": 1, "provider": 1},
        )
        self.rule(
            ie,
            BusinessType.JOINT_COMMISSIONING,
            min_present=6,
            category_minimums={"clinical": 1},
            partner_kind_minimums={"local_authority": 1, "nhs_body": 1},
        )
        self.terms(
            ie,
            "May 2018",
            summary="Revised terms of reference (Appendix B).",
            reviewed_by="Integration Executive",
            reviewed_on=date(2018, 5, 1),
            approved_by="Leicestershire Health and Wellbeing Board",
            approved_on=date(2018, 7, 12),
            review_due=date(2021, 7, 12),
        )
        self.terms(
            ie,
            "Latest review",
            summary="Demo assumption: reviewed since.",
            reviewed_by="Integration Executive",
            reviewed_on=self.today - timedelta(days=400),
            approved_by="Leicestershire Health and Wellbeing Board",
            approved_on=self.today - timedelta(days=380),
            review_due=self.today + timedelta(days=700),
        )
        wl_chair = seats["Clinical Chair, West Leicestershire CCG"]
        elr_chair = seats["Clinical Vice Chair, East Leicestershire and Rutland CCG"]
        # HWB report para 15: ELR chaired 2016-18; WL from July 2018 until May 2020.
        self.chair(
            ie,
            elr_chair.holder,
            date(2016, 7, 1),
            seat=elr_chair,
            ends_on=date(2018, 6, 30),
        )
        self.chair(
            ie,
            wl_chair.holder,
            date(2018, 7, 1),
            seat=wl_chair,
            ends_on=date(2020, 5, 31),
        )
        # Demo assumption: the alternation continued; ELR has chaired since June 2025.
        self.chair(ie, elr_chair.holder, date(2025, 6, 1), seat=elr_chair)
        self.mark_chair(ie, elr_chair)

        ifpg = self.board(
            "ifpg",
            partners=["lcc", "elr", "wl"],
            short_name="IFPG",
            agreement=agreement,
            reports_to=ie,
            purpose="Oversight of the pooled budgets supporting the integration "
            "programme and the section 75 for the BCF; the joint commissioning "
            "workplan. Consults the Integration Executive first on decisions that "
            "could affect the integration programme.",
            decision_making=True,
            decision_rule=Board.DecisionRule.UNANIMOUS,
            escalation=Board.Escalation.AUTHORISED_OFFICERS,
            chair_casting_vote=False,
            minutes_deadline_days=7,
            meeting_frequency_months=3,
            reconvene_within_days=31,
            chair_arrangement=Board.ChairArrangement.ELECTED,
            chair_term_months=12,
        )
        self.seat(
            ifpg,
            1,
            "Finance Director, NHS East Leicestershire and Rutland CCG",
            "elr",
            categories=["finance"],
            limit=Decimal("500000.00"),
        )
        # Compliance gap on purpose: a deputy named but not notified.
        self.seat(
            ifpg,
            2,
            "Strategy and Planning Director, NHS East Leicestershire and Rutland CCG",
            "elr",
            categories=["commissioning_lead"],
            notified=False,
        )
        self.seat(
            ifpg,
            3,
            "Finance Director, NHS West Leicestershire CCG",
            "wl",
            categories=["finance"],
            limit=Decimal("500000.00"),
        )
        # Compliance gap on purpose: no deputy appointed.
        self.seat(
            ifpg,
            4,
            "Head of Service Integration and Delivery, NHS West Leicestershire CCG",
            "wl",
            categories=["commissioning_lead"],
            deputy=False,
        )
        s151 = self.seat(
            ifpg,
            5,
            "Section 151 Officer, Leicestershire County Council",
            "lcc",
            categories=["finance"],
            limit=Decimal("500000.00"),
        )
        self.seat(
            ifpg,
            6,
            "Assistant Director for Strategy and Commissioning (Adults "
            "and Communities), Leicestershire County Council",
            "lcc",
            categories=["commissioning_lead"],
        )
        # IFPG: one representative from each partner; cannot meet unless quorate.
        self.rule(ifpg, min_any_per_partner=1)
        self.terms(
            ifpg,
            "May 2018",
            summary="Revised terms of reference (Appendix A), "
            "extended remit to the joint commissioning workplan.",
            reviewed_by="Integration Finance and Performance Group",
            reviewed_on=date(2018, 5, 21),
            approved_by="The two county CCGs and the County Council",
            approved_on=date(2018, 7, 12),
            review_due=date(2021, 5, 21),
        )
        # Demo assumption: a later review falls due within the reminder window.
        self.terms(
            ifpg,
            "Latest review",
            summary="Demo assumption: reviewed since.",
            reviewed_by="Integration Finance and Performance Group",
            reviewed_on=self.today - timedelta(days=3 * 365 - 45),
            approved_by="The two county CCGs and the County Council",
            approved_on=self.today - timedelta(days=3 * 365 - 50),
            review_due=self.today + timedelta(days=45),
        )
        # Demo assumption: the s151 officer was elected at the last anniversary meeting.
        self.chair(ifpg, s151.holder, self.today - timedelta(days=200), seat=s151)
        self.mark_chair(ifpg, s151)

        jcg = self.board(
            "jcg",
            partners=["lcc", "elr", "wl"],
            short_name="JCG",
            agreement=agreement,
            reports_to=ie,
            purpose="Leads the programme of joint commissioning across the County "
            "CCG(s) and Leicestershire County Council; keeps a decision log in the "
            "minutes.",
            decision_making=True,
            decision_rule=Board.DecisionRule.UNANIMOUS,
            escalation=Board.Escalation.DISPUTE_RESOLUTION,
            minutes_deadline_days=7,
            meeting_frequency_months=2,
            chair_arrangement=Board.ChairArrangement.ROTATION,
            chair_term_months=6,
        )
        jcg_seats = [
            (
                "Lead Commissioner (Adults), Leicestershire County Council",
                "lcc",
                ["commissioning_lead"],
            ),
            (
                "Finance Business Partner, Leicestershire County Council",
                "lcc",
                ["finance"],
            ),
            (
                "Public Health Representative, Leicestershire County Council",
                "lcc",
                ["public_health"],
            ),
            (
                "Head of Joint Commissioning, NHS West Leicestershire CCG",
                "wl",
                ["commissioning_lead"],
            ),
            (
                "Operational Finance Lead, NHS West Leicestershire CCG",
                "wl",
                ["finance"],
            ),
            (
                "Head of Joint Commissioning, NHS East Leicestershire and Rutland CCG",
                "elr",
                ["commissioning_lead"],
            ),
            (
                "Operational Finance Lead, NHS East Leicestershire and Rutland CCG",
                "elr",
                ["finance"],
            ),
        ]
        jcg_by_title = {}
        for order, (title, partner, categories) in enumerate(jcg_seats, start=1):
            jcg_by_title[title] = self.seat(
                jcg, order, title, partner, categories=categories
            )
        # JCG 9: the Chair plus at least one commissioning lead and one finance
        # representative from each organisation.
        self.rule(
            jcg,
            chair_required=True,
            per_partner_category_minimums={"commissioning_lead": 1, "finance": 1},
        )
        self.terms(
            jcg,
            "Oct 2020 draft v.1",
            reviewed_by="Joint Commissioning Group",
            reviewed_on=date(2020, 10, 1),
            approved_by="Leicestershire Integration Executive",
            approved_on=date(2020, 11, 1),
            review_due=self.today + timedelta(days=300),
        )
        # JCG 7: rotates between the LA and the CCG(s) every six months.
        lcc_lead = jcg_by_title[
            "Lead Commissioner (Adults), Leicestershire County Council"
        ]
        wl_lead = jcg_by_title[
            "Head of Joint Commissioning, NHS West Leicestershire CCG"
        ]
        start = date(self.today.year, 1 if self.today.month < 7 else 7, 1)
        previous = start - timedelta(days=1)
        self.chair(
            jcg,
            wl_lead.holder,
            date(previous.year, 1 if previous.month < 7 else 7, 1),
            seat=wl_lead,
            ends_on=previous,
        )
        self.chair(jcg, lcc_lead.holder, start, seat=lcc_lead)
        self.mark_chair(jcg, lcc_lead)

    def west_kent(self):
        """West Kent BCF s75 annex (Schedule 2, governance), 2015."""
        agreement = self.agreement(
            "Kent Better Care Fund section 75 agreement",
            partners=["kcc", "wkccg"],
            host="kcc",  # "KCC will act as host for the pooled fund" (2.2)
            starts_on=date(2015, 4, 1),
            dispute_resolution="The dispute resolution procedure set out in the "
            "Agreement (West Kent annex 3.3).",
        )
        self.schedule(
            agreement,
            "Annex",
            "West Kent system",
            "Locality Fund: flow of funds, schemes, metrics, governance.",
        )
        self.schedule(
            agreement,
            "2",
            "Governance",
            "Section 75 Group and System Leadership Group (Schedule 2).",
        )
        self.officer(
            agreement, "kcc", "Taylor Example", "Corporate Director of Finance"
        )
        self.officer(agreement, "wkccg", "Avery Sample", "Chief Finance Officer")
        hwb = self.board(
            "wk_hwb",
            partners=["kcc", "wkccg"],
            purpose="Strategic oversight of the Better Care Fund for the West Kent "
            "health economy; recorded here as the reporting line only.",
            decision_making=True,
            chair_arrangement=Board.ChairArrangement.APPOINTED,
        )
        s75 = self.board(
            "wk_s75",
            partners=["kcc", "wkccg"],
            short_name="West Kent S75 Group",
            agreement=agreement,
            reports_to=hwb,
            purpose="The Partnership Board: the overall decision making body for the "
            "West Kent Locality Fund.",
            decision_making=True,
            decision_rule=Board.DecisionRule.UNANIMOUS,
            escalation=Board.Escalation.DISPUTE_RESOLUTION,
            chair_casting_vote=False,
            minutes_deadline_days=14,
            meeting_frequency_months=3,
            chair_arrangement=Board.ChairArrangement.APPOINTED,
        )
        named = [
            ("Ian Ayres", "Chief Accountable Officer", "wkccg", ["commissioning_lead"]),
            (
                "Gail Arnold",
                "Chief Operating Officer and Deputy Accountable Officer",
                "wkccg",
                ["commissioning_lead"],
            ),
            ("Reg Middleton", "Chief Financial Officer", "wkccg", ["finance"]),
            (
                "Anne Tidmarsh",
                "Director of Older People and Physical Disabilities",
                "kcc",
                ["social_care"],
            ),
            ("Mark Lobban", "Director of Commissioning", "kcc", ["commissioning_lead"]),
            ("Michelle Goldsmith", "Finance Manager – Social Care", "kcc", ["finance"]),
        ]
        s75_seats = []
        for order, (name, post, partner, categories) in enumerate(named, start=1):
            s75_seats.append(
                self.seat(s75, order, post, partner, holder=name, categories=categories)
            )
        # West Kent 3.2: a minimum of two representatives from each partner.
        self.rule(s75, min_any_per_partner=2)
        self.terms(
            s75,
            "Draft annex 2015",
            summary="Schedule 2 – Governance, draft of 29 December 2014.",
            reviewed_by="West Kent Health and Wellbeing Board",
            reviewed_on=date(2015, 1, 20),
            approved_by="KCC Cabinet Member and CCG Governing Body",
            approved_on=date(2015, 4, 1),
            review_due=self.today + timedelta(days=500),
        )
        # Demo assumption: the CCG's Chief Accountable Officer chairs.
        self.chair(s75, s75_seats[0].holder, date(2015, 4, 1), seat=s75_seats[0])
        self.mark_chair(s75, s75_seats[0])

        slg = self.board(
            "wk_slg",
            partners=["wkccg", "hwlh", "kmpt", "mtw", "kchft", "kcc"],
            short_name="SLG",
            purpose="Oversight of the alignment of providers' and commissioners' five "
            "year plans. Holds no formal delegated authority: advisory and "
            "co-ordination role.",
            decision_making=False,
            minutes_deadline_days=14,
            meeting_frequency_months=2,
            chair_arrangement=Board.ChairArrangement.APPOINTED,
        )
        slg_seats = [
            ("Chief Accountable Officer, West Kent CCG", "wkccg", "Ian Ayres"),
            (
                "Chief Accountable Officer, NHS High Weald Lewes Havens CCG",
                "hwlh",
                "Wendy Carberry",
            ),
            (
                "Chief Executive, Kent and Medway NHS and Social Care Partnership Trust",
                "kmpt",
                None,
            ),
            (
                "Chief Executive, Maidstone and Tunbridge Wells NHS Trust",
                "mtw",
                "Glen Douglas",
            ),
            (
                "Chief Executive, Kent Community Health NHS Trust",
                "kchft",
                "Marion Dinwoodie",
            ),
            (
                "Director of Older People and Physical Disabilities, KCC",
                "kcc",
                "Anne Tidmarsh",
            ),
            ("Director of Commissioning, KCC", "kcc", "Mark Lobban"),
            # "tbc: KCC to confirm representation" -- a vacant post.
            ("Director of Education, KCC", "kcc", False),
        ]
        for order, (title, partner, holder) in enumerate(slg_seats, start=1):
            post = title.split(",")[0]
            if isinstance(holder, str):
                holder = _named(holder, post, partner)
            self.seat(
                slg,
                order,
                title,
                partner,
                voting=False,
                holder=holder,
                deputy=False if holder is False else None,
                categories=["provider"] if partner in ("kmpt", "mtw", "kchft") else [],
            )
        # The annex states no quorum for the SLG: an empty rule, so every board has
        # one for routine business.
        self.rule(slg)
        self.terms(
            slg,
            "Draft annex 2015",
            reviewed_by="West Kent Health and Wellbeing Board",
            reviewed_on=date(2015, 1, 20),
            review_due=self.today + timedelta(days=500),
        )

        self.board(
            "wk_mtf",
            partners=["wkccg", "kcc"],
            reports_to=slg,
            purpose="Oversees and co-ordinates cross-system development to deliver "
            "Mapping the Future. Advisory: holds no delegated authority.",
            decision_making=False,
            chair_arrangement=Board.ChairArrangement.APPOINTED,
        )


def load() -> None:
    Loader().load()
