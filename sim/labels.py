"""Every word the reports print, in English and Norwegian bokmål: one table (design section 7).

Keys are the stable names used in the results folder: services (`phone`), metrics
(`service_level`), statuses (`at_risk`), units (`unit.seconds`) and report phrases
(`report.title`). A metric's entry also names its unit, so charts and tables show the same words.
Phrases may hold `{placeholders}` filled with `str.format`.

Dates and numbers follow each language's conventions: "7 May 2022" and "74%" in English,
"7. mai 2022", "74 %" and "2,5" in Norwegian. Weeks are go-live weeks in both languages ("week 1",
"uke 1": week 1 starts at go-live, the week before is week −1), never ISO calendar weeks, so the
English and Norwegian reports, the console and the results folder count weeks alike.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import NamedTuple

LANGUAGES = ("en", "nb")

NBSP = "\u00a0"
"""Keeps a number and its unit on one line ("74 %")."""


class Label(NamedTuple):
    """A key's words in each language, and for a metric the key of its unit."""

    en: str
    nb: str
    unit: str = ""


LABELS: dict[str, Label] = {
    # services
    "phone": Label("Phone line", "Telefontjenesten"),
    "cases": Label("Case handling", "Saksbehandling"),
    "home_visits": Label("Home visits", "Hjemmetjenester"),
    "support": Label("Support desk and superusers", "Brukerstøtte og superbrukere"),
    "support.short": Label("Support desk", "Brukerstøtte"),
    "support.superusers": Label("Superusers", "Superbrukere"),
    "overall": Label("All services", "Alle tjenester"),
    # phone metrics (sim.phone.phone_metrics)
    "calls_offered": Label("Calls offered", "Innkommende samtaler", "calls"),
    "calls_answered": Label("Calls answered", "Besvarte samtaler", "calls"),
    "calls_abandoned": Label("Calls abandoned", "Samtaler der innringer la på", "calls"),
    "calls_waiting_at_end": Label("Calls still waiting at the end", "Samtaler i kø ved slutt",
                                  "calls"),
    "redials": Label("Callers who rang again", "Nye oppringninger", "calls"),
    "waited_share": Label("Callers who had to wait", "Innringere som måtte vente", "share"),
    "service_level": Label("Calls answered in time", "Samtaler besvart innen fristen", "share"),
    "asa_seconds": Label("Average wait to answer", "Gjennomsnittlig ventetid før svar",
                         "seconds"),
    "p90_wait_seconds": Label("Wait 9 in 10 callers stay within",
                              "Ventetid 9 av 10 innringere holder seg innenfor", "seconds"),
    "abandon_share": Label("Callers who hung up", "Innringere som la på", "share"),
    # every service simulated one by one (sim.cover)
    "substitute_shifts": Label("Shifts covered by a substitute", "Vakter dekket av vikar",
                               "shifts"),
    # case metrics (sim.cases.case_metrics)
    "initial_backlog": Label("Open cases at the start", "Åpne saker ved start", "cases"),
    "cases_arrived": Label("Cases received", "Mottatte saker", "cases"),
    "urgent_arrived": Label("Urgent cases received", "Mottatte hastesaker", "cases"),
    "cases_completed": Label("Cases decided", "Avgjorte saker", "cases"),
    "backlog": Label("Open cases at the end of the day (backlog)",
                     "Åpne saker ved dagens slutt (restanse)", "cases"),
    "backlog_overdue_share": Label("Open cases past their deadline",
                                   "Åpne saker over fristen", "share"),
    "mean_days": Label("Average handling time", "Gjennomsnittlig saksbehandlingstid", "days"),
    "median_days": Label("Median handling time", "Median saksbehandlingstid", "days"),
    "p90_days": Label("Handling time 9 in 10 cases stay within",
                      "Saksbehandlingstid 9 av 10 saker holder seg innenfor", "days"),
    "overdue_share": Label("Cases decided after their deadline", "Saker avgjort etter fristen",
                           "share"),
    "urgent_completed": Label("Urgent cases decided", "Avgjorte hastesaker", "cases"),
    "urgent_overdue_share": Label("Urgent cases decided after their deadline",
                                  "Hastesaker avgjort etter fristen", "share"),
    "urgent_median_days": Label("Median handling time, urgent cases",
                                "Median saksbehandlingstid, hastesaker", "days"),
    "ordinary_median_days": Label("Median handling time, ordinary cases",
                                  "Median saksbehandlingstid, ordinære saker", "days"),
    "cases_deferred": Label("Ordinary cases not accepted (planned reduction)",
                            "Ordinære saker ikke tatt imot (planlagt nedtrapping)", "cases"),
    "cases_returned": Label("Cases not accepted that came back", "Utsatte saker som kom tilbake",
                            "cases"),
    "handler_overtime_hours": Label("Overtime of the case handlers",
                                    "Overtid i saksbehandlingen", "hours"),
    "temp_handler_hours": Label("Hours worked by temporary case handlers",
                                "Timer arbeidet av midlertidige saksbehandlere", "hours"),
    # home-visit metrics (sim.home_visits.visit_metrics)
    "visits_planned": Label("Visits planned", "Planlagte besøk", "visits"),
    "visits_done": Label("Visits done", "Utførte besøk", "visits"),
    "visits_postponed": Label("Visits postponed", "Utsatte besøk", "visits"),
    "visits_missed": Label("Visits missed", "Bortfalte besøk", "visits"),
    "visits_reduced": Label("Visits left out of the plan on purpose",
                            "Besøk tatt ut av planen med vilje", "visits"),
    "visits_open_at_end": Label("Visits unfinished at the end", "Besøk ikke fullført ved slutt",
                                "visits"),
    "visits_escalated": Label("Time-critical visits escalated to a reserve",
                              "Tidskritiske besøk overført til reserve", "visits"),
    "visits_postponed_for_critical": Label("Visits postponed so that time-critical ones come first",
                                           "Besøk utsatt for å prioritere tidskritiske", "visits"),
    "late_share": Label("Visits started late", "Besøk som startet for sent", "share"),
    "critical_late_share": Label("Time-critical visits late or missed",
                                 "Tidskritiske besøk forsinket eller bortfalt", "share"),
    "mean_delay_minutes": Label("Average delay of a visit", "Gjennomsnittlig forsinkelse per besøk",
                                "minutes"),
    "missed_share": Label("Share of visits missed", "Andel bortfalte besøk", "share"),
    "postponed_share": Label("Share of visits postponed", "Andel utsatte besøk", "share"),
    "overtime_hours": Label("Overtime of the nurses", "Overtid i hjemmetjenesten", "hours"),
    "documentation_late_share": Label("Visits documented after the shift's end",
                                      "Besøk dokumentert etter vaktens slutt", "share"),
    "documentation_share": Label("Working time spent documenting",
                                 "Arbeidstid brukt til dokumentasjon", "share"),
    "care_share": Label("Working time spent on care", "Arbeidstid brukt til pleie og omsorg",
                        "share"),
    # system faults and deviations (sim.faults; visit_deviations, case_deviations)
    "lost_items": Label("Items lost from work lists", "Oppgaver som forsvant fra arbeidslister",
                        "items"),
    "lost_items_noticed": Label("Lost items someone noticed",
                                "Forsvunne oppgaver som noen oppdaget", "items"),
    "visits_dropped_by_faults": Label("Visits dropped by a system fault, unnoticed",
                                      "Besøk som falt bort ved systemfeil, uoppdaget", "visits"),
    "critical_dropped_by_faults": Label("Time-critical visits dropped by a system fault",
                                        "Tidskritiske besøk som falt bort ved systemfeil",
                                        "visits"),
    "medication_deviations": Label("Medication lists found wrong",
                                   "Avvik i legemiddellister", "items"),
    "access_problems": Label("Staff locked out or unable to print at the start of a shift",
                             "Ansatte uten tilgang eller utskrift ved vaktstart", "staff"),
    "cases_dropped_by_faults": Label("Cases dropped by a system fault, unnoticed",
                                     "Saker som falt bort ved systemfeil, uoppdaget", "cases"),
    "cases_misrouted": Label("Cases delayed by a misrouted message",
                             "Saker forsinket av feilsendte meldinger", "cases"),
    "deviations": Label("Deviations from system faults", "Avvik fra systemfeil", "items"),
    "deviations_per_1000_visits": Label("Deviations from system faults",
                                        "Avvik fra systemfeil", "per_1000_visits"),
    "deviations_per_1000_cases": Label("Deviations from system faults",
                                       "Avvik fra systemfeil", "per_1000_cases"),
    # support metrics (sim.support.support_metrics)
    "requests": Label("Staff who got stuck and asked for help",
                      "Ansatte som stod fast og ba om hjelp", "requests"),
    "resolved_by_superuser": Label("Helped by a superuser", "Hjulpet av en superbruker",
                                   "requests"),
    "resolved_by_desk": Label("Helped by the support desk", "Hjulpet av brukerstøtten",
                              "requests"),
    "given_up": Label("Gave up and found a workaround", "Ga opp og fant en omvei", "requests"),
    "open_at_end": Label("Requests open at the end", "Åpne henvendelser ved slutt", "requests"),
    "desk_requests": Label("Requests to the support desk", "Henvendelser til brukerstøtten",
                           "requests"),
    "desk_asa_minutes": Label("Support desk: average wait",
                              "Brukerstøtte: gjennomsnittlig ventetid", "minutes"),
    "desk_abandon_share": Label("Support desk: callers who gave up waiting",
                                "Brukerstøtte: innringere som ga opp å vente", "share"),
    "superuser_resolved_share": Label("Requests solved by superusers",
                                      "Henvendelser løst av superbrukere", "share"),
    "staff_hours_lost": Label("Staff hours lost while stuck",
                              "Arbeidstimer tapt mens ansatte stod fast", "hours"),
    "superuser_help_hours": Label("Superusers' hours spent helping",
                                  "Superbrukernes timer brukt til hjelp", "hours"),
    "superuser_available_hours": Label("Superusers' hours available to help",
                                       "Superbrukernes timer tilgjengelig for hjelp", "hours"),
    "superuser_utilisation_share": Label("Superusers' time spent helping",
                                         "Superbrukernes tid brukt til hjelp", "share"),
    "intensive_support_days": Label("Days of intensive support (desk surge, released superusers)",
                                    "Dager med forsterket brukerstøtte (ekstra agenter, frikjøpte "
                                    "superbrukere)", "days"),
    "desk_callbacks": Label("Support desk: callbacks made", "Brukerstøtte: oppringinger tilbake",
                            "requests"),
    "desk_callback_wait_minutes": Label("Support desk: average wait for a callback",
                                        "Brukerstøtte: gjennomsnittlig ventetid på å bli ringt "
                                        "opp", "minutes"),
    "desk_callbacks_requested": Label("Support desk: numbers left for a callback",
                                      "Brukerstøtte: ba om å bli ringt opp", "requests"),
    "desk_callbacks_unmade": Label("Support desk: callbacks not made before closing",
                                   "Brukerstøtte: ikke ringt opp før stengetid", "requests"),
    "desk_callbacks_pending_at_end": Label("Support desk: callbacks still due at the end",
                                           "Brukerstøtte: oppringinger ikke gjort ved slutt",
                                           "requests"),
    # statuses (sim.verdict)
    "responsible": Label("Responsible", "Forsvarlig"),
    "at_risk": Label("At risk", "I faresonen"),
    "not_responsible": Label("Not responsible", "Ikke forsvarlig"),
    "no_verdict": Label("No verdict", "Ingen vurdering"),
    # units
    "unit.share": Label("%", "%"),
    "unit.seconds": Label("seconds", "sekunder"),
    "unit.minutes": Label("minutes", "minutter"),
    "unit.hours": Label("hours", "timer"),
    "unit.days": Label("days", "dager"),
    "unit.calls": Label("calls", "samtaler"),
    "unit.cases": Label("cases", "saker"),
    "unit.visits": Label("visits", "besøk"),
    "unit.requests": Label("requests", "henvendelser"),
    "unit.agents": Label("agents", "medarbeidere"),
    "unit.staff": Label("staff", "ansatte"),
    "unit.shifts": Label("shifts", "vakter"),
    "unit.items": Label("deviations", "avvik"),
    "unit.per_1000_visits": Label("per 1,000 visits", "per 1\u00a0000 besøk"),
    "unit.per_1000_cases": Label("per 1,000 cases", "per 1\u00a0000 saker"),
    "unit.weeks": Label("weeks", "uker"),
    # rules of a standard
    "at_least": Label("≥", "≥"),
    "at_most": Label("≤", "≤"),
    # report: page 1
    "report.title": Label("Go-live forecast: {name}", "Prognose for oppstart: {name}"),
    "report.subtitle": Label(
        "Go-live {date} at {time}. {futures}, followed for {weeks} weeks.",
        "Oppstart {date} kl. {time}. {futures}, fulgt i {weeks} uker."),
    "report.futures": Label("{n} simulated futures", "{n} simulerte forløp"),
    "report.future": Label("{n} simulated future", "{n} simulert forløp"),
    "report.answer": Label("The answer", "Svaret"),
    "report.all_fine": Label(
        "Every service with a standard stays responsible in every week after go-live.",
        "Alle tjenester med krav er forsvarlige i alle uker etter oppstart."),
    "report.overall": Label(
        "Not every service stays responsible after go-live: the first week that falls short is "
        "{first} (from {date}), the worst is {worst}, and {recovery}.",
        "Ikke alle tjenestene er forsvarlige etter oppstart: første uke som ikke holder mål er "
        "{first} (fra {date}), verst er {worst}, og {recovery}."),
    "report.overall_recovers": Label("every service is responsible again from {week}",
                                     "alle tjenestene er forsvarlige igjen fra {week}"),
    "report.overall_no_recovery": Label(
        "not every service has recovered by {last}, the last week forecast",
        "ikke alle tjenestene er forsvarlige igjen innen {last}, den siste uken i prognosen"),
    "report.service_fine": Label("{service}: responsible in every week after go-live.",
                                 "{service}: forsvarlig i alle uker etter oppstart."),
    "report.service_short": Label("{service}: {status} in {weeks}, {recovery}.",
                                  "{service}: {status} i {weeks}, {recovery}."),
    "report.service_recovers": Label("responsible again from {week}",
                                     "forsvarlig igjen fra {week}"),
    "report.service_no_recovery": Label("not recovered by {last}",
                                        "ikke forsvarlig igjen innen {last}"),
    "report.service_worst": Label(
        "In {week} the standard “{standard}” is met in {share} of simulated futures.",
        "I {week} er kravet «{standard}» oppfylt i {share} av de simulerte forløpene."),
    "report.status_mixed": Label("at risk or not responsible",
                                 "i faresonen eller ikke forsvarlig"),
    "report.before": Label(
        "Before go-live ({week}), on the old systems, the standards are already not met for: "
        "{services}.",
        "Allerede før oppstart ({week}), med de gamle systemene, er kravene ikke oppfylt for: "
        "{services}."),
    "report.no_standard": Label("{service}: no standard set, so not judged.",
                                "{service}: ingen krav satt, derfor ikke vurdert."),
    "report.no_verdict": Label(
        "The scenario sets no standards, so no week is judged responsible or not: the pages "
        "below show the simulated numbers only.",
        "Scenarioet setter ingen krav, så ingen uke er vurdert som forsvarlig eller ikke: sidene "
        "nedenfor viser bare de simulerte tallene."),
    "report.nothing_judged": Label(
        "No week after go-live could be judged: no simulated future has a value for the "
        "standards set.",
        "Ingen uke etter oppstart kunne vurderes: ingen simulerte forløp har verdier for kravene "
        "som er satt."),
    "report.table_title": Label("Verdict week by week", "Vurdering uke for uke"),
    "report.week": Label("Week", "Uke"),
    "report.weeks": Label("weeks", "uke"),
    "report.week_from": Label("from {date}", "fra {date}"),
    "report.week_before": Label("before go-live", "før oppstart"),
    "report.table_note": Label(
        "The percentage in a cell is the share of simulated futures in which the service's "
        "weakest standard is met that week. A week is responsible when it is at least {confidence},"
        " at risk when at least {at_risk}, not responsible below.",
        "Prosenten i en rute er andelen simulerte forløp der tjenestens svakeste krav er oppfylt "
        "den uken. En uke er forsvarlig når den er minst {confidence}, i faresonen når den er "
        "minst {at_risk}, og ikke forsvarlig under det."),
    "report.levers_hint": Label(
        "This scenario lists {n} levers: golive-sim forecast --levers adds the page “What would "
        "make it responsible”. It is not run by default, since it simulates about {times} times "
        "as many futures as this forecast.",
        "Scenarioet har {n} tiltak: golive-sim forecast --levers legger til siden «Hva som ville "
        "gjort det forsvarlig». Den kjøres ikke som standard, fordi den simulerer om lag {times} "
        "ganger så mange forløp som denne prognosen."),
    "report.margin_note": Label(
        "Under it, that standard's weekly mean over the futures against its threshold: how far "
        "the week is from it.",
        "Under den står kravets ukesnitt over forløpene mot grensen: hvor langt uken er fra "
        "den."),
    "report.standards_title": Label("Standards: what “responsible” means here",
                                    "Krav: hva «forsvarlig» betyr her"),
    "report.standards_none": Label("The scenario sets no standards.",
                                   "Scenarioet setter ingen krav."),
    "report.source": Label("source", "kilde"),
    # report: chart pages
    "chart.median": Label("Median", "Median"),
    "chart.band50": Label("Middle half of simulated futures", "Midterste halvdel av forløpene"),
    "chart.band90": Label("9 in 10 simulated futures", "9 av 10 simulerte forløp"),
    "chart.standard": Label("Standard", "Krav"),
    "chart.go_live": Label("Go-live", "Oppstart"),
    "chart.closed": Label("Weekend, public holiday or closed day",
                          "Helg, helligdag eller stengt dag"),
    "chart.surge": Label("Support desk surge: +{agents} agents",
                         "Ekstra brukerstøtte: +{agents} på vakt"),
    "chart.release": Label("Superusers released", "Superbrukere frikjøpt"),
    "chart.ends_by_rule": Label("(ends by rule, day {first}-{last})",
                                "(slutter etter regel, dag {first}-{last})"),
    "chart.not_in_results": Label("{metric}: not in this results folder",
                                  "{metric}: finnes ikke i resultatene"),
    "chart.daily_note": Label(
        "Each day's value across {futures}; gaps are days the service is "
        "closed. Week {first} starts at go-live.",
        "Hver dags verdi i {futures}; hull er dager tjenesten er stengt."),
    "chart.weeks": Label("Weeks", "Uker"),
    "safety.title": Label("Deviations from system faults per week, by kind (mean of {futures})",
                          "Avvik fra systemfeil per uke, etter type (snitt av {futures})"),
    "safety.weeks": Label("Week after go-live", "Uke etter oppstart"),
    "chart.per_day": Label("per day", "per dag"),
    # report: assumptions page
    "assumptions.title": Label("Assumptions and provenance", "Forutsetninger og kilder"),
    "assumptions.levers": Label("Main levers", "Viktigste forutsetninger"),
    "assumptions.run": Label("This run", "Denne kjøringen"),
    "assumptions.sources": Label(
        "Where the numbers come from: the scenario file {path} gives the source of every number, "
        "or the word “assumption”, in a comment beside it; the results folder keeps that file as "
        "it was (scenario-source.toml), the scenario exactly as run (scenario.toml) and every "
        "simulated future's daily and weekly figures, so this report can be checked and redrawn "
        "without rerunning the model.",
        "Hvor tallene kommer fra: scenariofilen {path} oppgir kilden til hvert tall, eller ordet "
        "«antakelse», i en kommentar ved siden av; resultatmappen tar vare på filen slik den var "
        "(scenario-source.toml), scenarioet slik det ble kjørt (scenario.toml) og hvert simulerte "
        "forløps tall per dag og uke, så rapporten kan kontrolleres og tegnes på nytt uten å "
        "kjøre modellen igjen."),
    "assumptions.no_source": Label(
        "This run did not start from a scenario file (it was run from Python), so the sources "
        "written beside the numbers are not kept; the results folder holds the scenario exactly "
        "as run (scenario.toml) and every simulated future's daily and weekly figures.",
        "Denne kjøringen startet ikke fra en scenariofil (den ble kjørt fra Python), så kildene "
        "ved siden av tallene er ikke tatt vare på; resultatmappen inneholder scenarioet slik det "
        "ble kjørt (scenario.toml) og hvert simulerte forløps tall per dag og uke."),
    "assumptions.no_comment": Label("none given in the scenario file",
                                    "ikke oppgitt i scenariofilen"),
    "assumptions.closed_dates": Label("Closed dates besides weekends and public holidays",
                                      "Stengte dager utenom helger og helligdager"),
    "assumptions.go_live": Label("Go-live", "Oppstart"),
    "assumptions.followed": Label("Weeks followed after go-live", "Uker fulgt etter oppstart"),
    "assumptions.staff_switching": Label("Employees switching system",
                                         "Ansatte som bytter system"),
    "assumptions.trained_share": Label("Staff fully trained at go-live",
                                       "Ansatte ferdig opplært ved oppstart"),
    "assumptions.every_group": Label("in every staff group", "i alle grupper"),
    "assumptions.rest_of_staff": Label("Other staff", "Øvrige ansatte"),
    "assumptions.sick_leave": Label("Sick leave", "Sykefravær"),
    "assumptions.superuser_share": Label("Superusers among staff", "Superbrukere blant ansatte"),
    "assumptions.release": Label("Superusers released from normal duty",
                                 "Superbrukere frikjøpt fra vanlig arbeid"),
    "assumptions.release_value": Label("first {weeks} weeks, {share} of them each day",
                                       "de første {weeks} ukene, {share} av dem hver dag"),
    "assumptions.desk": Label("Support desk agents on duty", "Brukerstøtte: medarbeidere på vakt"),
    "assumptions.desk_value": Label("{base}, plus {surge} in the first {weeks} weeks",
                                    "{base}, pluss {surge} de første {weeks} ukene"),
    "assumptions.desk_hours": Label("Support desk opening hours", "Brukerstøttens åpningstid"),
    "assumptions.staff": Label("{service}: staff on the rota per shift",
                               "{service}: ansatte i turnus per vakt"),
    "assumptions.districts_staff": Label("{service}: staff on the rota",
                                         "{service}: ansatte i turnus"),
    "assumptions.districts": Label("{staff} nurses in {districts} districts",
                                   "{staff} ansatte i {districts} distrikter"),
    "assumptions.volume": Label("{service}: demand per weekday",
                                "{service}: etterspørsel per hverdag"),
    "assumptions.extra_staff": Label("{service}: extra staff", "{service}: ekstra bemanning"),
    "assumptions.extra_value": Label("+{staff} per shift in {weeks}",
                                     "+{staff} per vakt i {weeks}"),
    "assumptions.reduction": Label("{service}: planned reduction",
                                   "{service}: planlagt reduksjon"),
    "assumptions.fewer_visits": Label("{share} of non-critical visits left out in {weeks}",
                                      "{share} av ikke-kritiske besøk tatt ut i {weeks}"),
    "assumptions.reduced_opening": Label("shorter opening hours in {weeks}",
                                         "kortere åpningstid i {weeks}"),
    "assumptions.fewer_calls": Label("{share} of calls planned away in {weeks}",
                                     "{share} av samtalene planlagt bort i {weeks}"),
    "assumptions.fewer_cases": Label("{share} of ordinary cases not accepted in {weeks}",
                                     "{share} av ordinære saker ikke tatt imot i {weeks}"),
    "assumptions.extra_calls": Label("{service}: extra calls caused by the go-live",
                                     "{service}: ekstra samtaler på grunn av oppstarten"),
    "assumptions.extra_calls_value": Label("+{share} in {weeks}", "+{share} i {weeks}"),
    "assumptions.reinforcement": Label("{service}: overtime and temporary staff",
                                       "{service}: overtid og midlertidig bemanning"),
    "assumptions.reinforcement_value": Label(
        "on days starting with more than {level} open cases: {minutes} min overtime a handler, "
        "+{temps} temporary handlers per shift",
        "på dager som starter med over {level} åpne saker: {minutes} min overtid per "
        "saksbehandler, +{temps} midlertidige per vakt"),
    "assumptions.reinforcement_overtime_value": Label(
        "on days starting with more than {level} open cases: {minutes} min overtime a handler",
        "på dager som starter med over {level} åpne saker: {minutes} min overtid per "
        "saksbehandler"),
    "assumptions.intensive_support_value": Label(
        "until the desk quietens (day {low} to {high})",
        "til brukerstøtten roer seg (dag {low} til {high})"),
    "assumptions.callbacks": Label("Support desk: callers out of patience who leave a number",
                                   "Brukerstøtte: innringere som ber om å bli ringt opp"),
    "assumptions.none": Label("none", "ingen"),
    "assumptions.closed": Label("closed", "stengt"),
    "assumptions.weekdays": Label("weekdays", "hverdager"),
    "assumptions.saturday": Label("Saturday", "lørdag"),
    "assumptions.sunday": Label("Sunday", "søndag"),
    "assumptions.weekends": Label("weekends", "helger"),
    "assumptions.all_days": Label("every day", "alle dager"),
    "assumptions.replications": Label("Simulated futures (replications)",
                                      "Simulerte forløp (replikasjoner)"),
    "assumptions.seed": Label("Seed", "Frø (seed)"),
    "assumptions.version": Label("golive-sim version", "golive-sim-versjon"),
    "assumptions.commit": Label("Git commit", "Git-commit"),
    "assumptions.run_date": Label("Run", "Kjørt"),
    "assumptions.unknown": Label("unknown", "ukjent"),
    "assumptions.set": Label("set for this run ({path}), not the scenario file's value",
                             "satt for denne kjøringen ({path}), ikke verdien i scenariofilen"),
    "assumptions.standard_sources": Label("Standards and their sources", "Krav og kilder"),
    "assumptions.assumption": Label("assumption", "antakelse"),
    # report: comparison
    "compare.title": Label("Scenarios compared", "Scenarioer sammenlignet"),
    "compare.scenarios": Label("Scenarios", "Scenarioer"),
    "compare.table_note": Label(
        "Each row under a week is one scenario's verdict, by its letter: the symbol of its status "
        "and the share of futures meeting its weakest standard.",
        "Hver rad under en uke er ett scenarios vurdering, med bokstaven: symbolet for status og "
        "andelen forløp som oppfyller det svakeste kravet."),
    "compare.differences": Label("Levers (differences in bold)",
                                 "Forutsetninger (forskjeller i fet skrift)"),
    "compare.lever": Label("Lever", "Forutsetning"),
    "compare.not_comparable": Label("What is not comparable", "Hva som ikke kan sammenlignes"),
    "compare.different_calendars": Label(
        "The scenarios go live at different moments ({moments}): the table and the charts line "
        "them up by go-live week (week 1 over week 1, drawn at A's days), so their weekends and "
        "holidays do not fall together and the charts show no closed days.",
        "Scenarioene starter på ulike tidspunkt ({moments}): tabellen og diagrammene stiller dem "
        "opp etter uke fra oppstart (uke 1 over uke 1, tegnet på A-s dager), så helger og "
        "helligdager faller ikke sammen, og diagrammene viser ikke stengte dager."),
    "compare.different_lengths": Label(
        "The scenarios are followed for different numbers of weeks after go-live ({weeks}); a "
        "week one of them does not reach has no verdict for it.",
        "Scenarioene følges i ulikt antall uker etter oppstart ({weeks}); en uke som ett av dem "
        "ikke når, har ingen vurdering for det."),
    "compare.missing_service": Label(
        "{scenarios}: no {service} simulated, so left out of that service's charts, with no "
        "verdict for it.",
        "{scenarios}: {service} er ikke simulert, så utelatt fra tjenestens diagrammer og uten "
        "vurdering av den."),
    "compare.different_standards": Label(
        "The scenarios set different standards, so the same status can mean different things; "
        "the charts draw the first scenario's standard that applies.",
        "Scenarioene setter ulike krav, så samme status kan bety ulike ting; diagrammene viser "
        "det første scenarioets krav som gjelder."),
    "compare.aligned": Label(
        "Drawn by go-live week: each scenario's day 1 starts at its own go-live.",
        "Tegnet etter uke fra oppstart: hvert scenarios dag 1 starter ved dets egen oppstart."),
    # sweeps and levers (sim.report.sweep_chart)
    "sweep.title": Label("What the levers change: {scenario}", "Hva tiltakene endrer: {scenario}"),
    "sweep.reading_map": Label(
        "Each cell is one combination of the levers; its number is the share of simulated "
        "futures in which every week after go-live meets every standard (darker: more). The "
        "thick line rings the responsible cells: those where that share is at least {share}.",
        "Hver rute er én kombinasjon av tiltakene; tallet er andelen simulerte forløp der hver "
        "uke etter oppstart oppfyller alle krav (mørkere: flere). Den tykke streken omgir de "
        "forsvarlige rutene: der andelen er minst {share}."),
    "sweep.reading_line": Label(
        "Share of simulated futures in which every week after go-live meets every standard, with "
        "its 95 % interval. Filled marks are responsible (at least {share}, the dashed line); "
        "open marks are not.",
        "Andel simulerte forløp der hver uke etter oppstart oppfyller alle krav, med 95 % "
        "intervall. Fylte merker er forsvarlige (minst {share}, den stiplede linjen); åpne "
        "merker er det ikke."),
    "sweep.share_axis": Label("Futures with every week responsible",
                              "Forløp med hver uke forsvarlig"),
    "sweep.target": Label("responsible from {share}", "forsvarlig fra {share}"),
    "levers.title": Label("What would make it responsible", "Hva som ville gjort det forsvarlig"),
    "levers.intro": Label(
        "Each lever below was tried alone over its range, the rest of the scenario as it is and "
        "the same simulated futures for every value. The least value is the smallest at which "
        "every week after go-live meets every standard in at least {share} of the futures, "
        "decided with at least {n} futures per value.",
        "Hvert tiltak nedenfor er prøvd alene over sitt spenn, resten av scenarioet som det er og "
        "de samme simulerte forløpene for hver verdi. Minste verdi er den laveste der hver uke "
        "etter oppstart oppfyller alle krav i minst {share} av forløpene, avgjort med minst {n} "
        "forløp per verdi."),
    "levers.lever": Label("Lever", "Tiltak"),
    "levers.tried": Label("Values tried", "Verdier prøvd"),
    "levers.least": Label("Least value that keeps every week responsible",
                          "Minste verdi som holder hver uke forsvarlig"),
    "levers.cost": Label("Cost at that value", "Kostnad ved den verdien"),
    "levers.none": Label("none up to {high}", "ingen opp til {high}"),
    "levers.cheapest": Label(
        "Together ({levers}), the cheapest responsible combination on the grid below is "
        "{values}, at a cost of {cost}.",
        "Sammen ({levers}) er den billigste forsvarlige kombinasjonen i rutenettet nedenfor "
        "{values}, til en kostnad av {cost}."),
    "levers.no_combination": Label(
        "No combination of {levers} on the grid below keeps every week responsible.",
        "Ingen kombinasjon av {levers} i rutenettet nedenfor holder hver uke forsvarlig."),
    "levers.blocked": Label(
        "No value in these ranges keeps every week responsible. At the best values on the grid "
        "({values}) every week is responsible in {share} of the futures; what blocks: "
        "{standards}.",
        "Ingen verdi i disse spennene holder hver uke forsvarlig. Med de beste verdiene i "
        "rutenettet ({values}) er hver uke forsvarlig i {share} av forløpene; dette hindrer det: "
        "{standards}."),
    "levers.blocked_standard": Label(
        "{service}, “{standard}” in {weeks} (met in as few as {share} of the futures)",
        "{service}, «{standard}» i {weeks} (oppfylt i ned til {share} av forløpene)"),
    "levers.map_note": Label(
        "Each cell: the share of simulated futures in which every week after go-live meets every "
        "standard (darker: more). The thick line rings the responsible cells (at least {share}); "
        "bold numbers are inside it.",
        "Hver rute: andelen simulerte forløp der hver uke etter oppstart oppfyller alle krav "
        "(mørkere: flere). Den tykke streken omgir de forsvarlige rutene (minst {share}); tall i "
        "fet skrift er innenfor."),
    # report: what the answer depends on (sim.report.dependence)
    "depends.title": Label("What the answer depends on", "Hva svaret avhenger av"),
    "depends.intro": Label(
        "Besides chance, this forecast varies {keys} assumptions that nobody knows in advance: "
        "each of the {futures} drew its own values of them, within the ranges below, and the "
        "verdict counts them all. These move the verdict most:",
        "I tillegg til tilfeldighetene varierer denne prognosen {keys} forutsetninger som ingen "
        "kjenner på forhånd: hvert av de {futures} trakk sine egne verdier innenfor områdene "
        "nedenfor, og vurderingen teller dem alle. Disse flytter vurderingen mest:"),
    "depends.range": Label("from {low} to {high}", "fra {low} til {high}"),
    "depends.flips": Label("It can turn the verdict in {weeks}.",
                           "Den kan snu vurderingen i {weeks}."),
    "depends.no_flip": Label("It turns the verdict in no week.",
                             "Den snur ikke vurderingen i noen uke."),
    "depends.raises": Label("A higher value raises “{metric}” ({service}): its standard is met "
                            "{often}.",
                            "En høyere verdi øker «{metric}» ({service}): kravet oppfylles "
                            "{often}."),
    "depends.lowers": Label("A higher value lowers “{metric}” ({service}): its standard is met "
                            "{often}.",
                            "En høyere verdi senker «{metric}» ({service}): kravet oppfylles "
                            "{often}."),
    "depends.too_few": Label(
        "Too few simulated futures to tell its effect: the rank regression needs at least "
        "{least}.",
        "For få simulerte forløp til å si noe om virkningen: rangregresjonen trenger minst "
        "{least}."),
    "depends.more_often": Label("more often", "oftere"),
    "depends.less_often": Label("less often", "sjeldnere"),
    "depends.no_direction": Label("No clear effect on any standard.",
                                  "Ingen tydelig virkning på noe krav."),
    "depends.method_sensitivity": Label(
        "Method: each assumption at its low and its high value, the others at their central "
        "values, with the same random events (golive-sim sensitivity); a week can turn when the "
        "verdicts at the two ends differ.",
        "Metode: hver forutsetning på sin lave og sin høye verdi, de andre på midtverdiene, med "
        "de samme tilfeldige hendelsene (golive-sim sensitivity); en uke kan snu når "
        "vurderingene i de to endene er ulike."),
    "depends.method_regression": Label(
        "Method: rank regression of each week's standards on the values the {futures} drew; a "
        "week can turn when an assumption's effect there is significant (p < {level}) and the "
        "standard is met in some futures but not all. Firmer: golive-sim sensitivity, then "
        "forecast --sensitivity.",
        "Metode: rangregresjon av hver ukes krav på verdiene de {futures} trakk; en uke kan snu "
        "når en forutsetnings virkning der er signifikant (p < {level}) og kravet oppfylles i "
        "noen forløp, men ikke alle. Sikrere: golive-sim sensitivity, så forecast "
        "--sensitivity."),
    "depends.spread_title": Label("How much of the spread comes from the assumptions",
                                  "Hvor mye av spredningen som skyldes forutsetningene"),
    "depends.spread_note": Label(
        "Each cell: the share of the differences between simulated futures, in the service's "
        "weakest standard that week, that the drawn assumptions explain (adjusted R² of a rank "
        "regression, docs/model.md); the rest is chance (who calls when, who is ill). A high share "
        "means the verdict there rests on the assumptions more than on luck: find out more about "
        "them before relying on it. – : too few simulated futures to tell.",
        "Hver rute: andelen av forskjellene mellom de simulerte forløpene, i tjenestens svakeste "
        "krav den uken, som forutsetningene forklarer (justert R² i en rangregresjon, "
        "docs/model.md); resten er tilfeldigheter (hvem ringer når, hvem er syke). En høy andel "
        "betyr at vurderingen der hviler mer på forutsetningene enn på flaks: undersøk dem før "
        "du stoler på den. – : for få simulerte forløp til å si noe."),
    "depends.trained": Label("trained", "opplærte"),
    "depends.untrained": Label("untrained", "ikke opplærte"),
    "depends.multiplier_at_go_live": Label("slowness in the new system at go-live (× time)",
                                           "treghet i nytt system ved oppstart (× tid)"),
    "depends.multiplier_floor": Label("slowness left after learning (× time)",
                                      "treghet som blir igjen etter læring (× tid)"),
    "depends.stuck_probability_at_go_live": Label("chance of getting stuck at go-live",
                                                  "sjanse for å stå fast ved oppstart"),
    "depends.stuck_probability_floor": Label("chance of getting stuck after learning",
                                             "sjanse for å stå fast etter læring"),
    "depends.half_life_hours": Label("hours in the system to learn half the way",
                                     "timer i systemet for å lære halve veien"),
    "depends.trained_share": Label("staff fully trained at go-live",
                                   "ansatte ferdig opplært ved oppstart"),
    "depends.sick_leave_share": Label("sick leave", "sykefravær"),
    "depends.superuser_share": Label("superusers among staff", "superbrukere blant ansatte"),
    "depends.staff": Label("staff on the shift", "ansatte på vakten"),
    "depends.talk_time_minutes": Label("talk time (minutes)", "samtaletid (minutter)"),
    "depends.system_time_minutes": Label("time in the system per call (minutes)",
                                         "tid i systemet per samtale (minutter)"),
    "depends.base_agents": Label("agents on duty", "medarbeidere på vakt"),
    "depends.surge_agents": Label("extra agents in the first weeks",
                                  "ekstra medarbeidere de første ukene"),
    "depends.handling_time_minutes": Label("handling time (minutes)",
                                           "behandlingstid (minutter)"),
    "depends.calls_per_day": Label("calls a weekday", "samtaler per hverdag"),
    "depends.deferred_documentation_share": Label("share of the notes written after the route",
                                                  "andel av notatene skrevet etter ruten"),
    "depends.extra_calls": Label("extra calls caused by the go-live",
                                 "ekstra samtaler på grunn av oppstarten"),
    "depends.lost_item_share_by_week": Label("work-list items lost to faults in week {n}",
                                             "oppgaver borte fra arbeidslister i uke {n}"),
    "depends.access_problem_share_by_day": Label(
        "staff locked out or unable to print on day {n}",
        "ansatte uten tilgang eller utskrift dag {n}"),
    "depends.medication_discrepancy_share_by_week": Label(
        "wrong medication lists in week {n}", "feil legemiddellister i uke {n}"),
    "depends.misrouted_share_by_week": Label("misrouted cases in week {n}",
                                             "feilsendte saker i uke {n}"),
    "sensitivity.title": Label("What the answer depends on: {service}",
                               "Hva svaret avhenger av: {service}"),
    "sensitivity.axis": Label(
        "Share of simulated futures meeting the weakest standard, average of weeks {first}–{last}",
        "Andel simulerte forløp som oppfyller det svakeste kravet, snitt av uke {first}–{last}"),
    "sensitivity.note": Label(
        "Each bar: one assumption at its low (light) and high (dark) plausible value, the others "
        "at their central values, {futures} each, the same random events in every run (common "
        "random numbers). The line: all at their central values. Longest bars first.",
        "Hver stolpe: én forutsetning på sin lave (lys) og høye (mørk) verdi, de andre på sine "
        "midtverdier, {futures} hver, de samme tilfeldige hendelsene i hver kjøring (felles "
        "tilfeldige tall). Linjen: alle på midtverdiene. Lengste stolper først."),
    "sensitivity.low": Label("low", "lav"),
    "sensitivity.high": Label("high", "høy"),
    # report: margins to the standards (sim.report.verdict_words.margin_lines)
    "report.continued": Label("{title} (continued)", "{title} (fortsatt)"),
    "margins.line": Label("{standard}, weekly mean: {weeks}.", "{standard}, ukesnitt: {weeks}."),
    "margins.short": Label("{days} working days", "{days} arbeidsdager"),
    "margins.short_legend": Label(
        "{mark} A week with fewer working days than the usual {usual} (public holidays or closed "
        "days): a short week can turn a verdict on its own.",
        "{mark} En uke med færre arbeidsdager enn de vanlige {usual} (helligdager eller stengte "
        "dager): en kort uke kan alene snu vurderingen."),
    "margins.against": Label("{metric} {mean} against {rule} {threshold}",
                             "{metric} {mean} mot {rule} {threshold}"),
    "margins.at_least": Label("at least", "minst"),
    "margins.at_most": Label("at most", "høyst"),
    # the short name of a metric with a standard, before its weekly mean in a verdict cell
    "margins.service_level": Label("in time", "i tide"),
    "margins.abandon_share": Label("hung up", "la på"),
    "margins.overdue_share": Label("overdue", "over frist"),
    "margins.urgent_overdue_share": Label("urgent overdue", "haster over frist"),
    "margins.late_share": Label("late", "for sent"),
    "margins.critical_late_share": Label("critical late", "kritiske for sent"),
    "margins.missed_share": Label("missed", "bortfalt"),
    "margins.desk_asa_minutes": Label("desk wait", "ventetid"),
    "margins.desk_abandon_share": Label("gave up", "ga opp"),
    "margins.deviations_per_1000_visits": Label("deviations per 1,000 visits",
                                                "avvik per 1\u00a0000 besøk"),
    "margins.deviations_per_1000_cases": Label("deviations per 1,000 cases",
                                               "avvik per 1\u00a0000 saker"),
    # report: a service page's operations table (sim.report.operations_table)
    "operations.title": Label("What the go-live asks of the staff, weekly mean",
                              "Hva oppstarten krever av de ansatte, ukesnitt"),
    "operations.note": Label(
        "Mean over the {futures} (shares in %); no standard, so not in the verdict. Week −1: the "
        "week before go-live.",
        "Snitt over de {futures} (andeler i %); uten krav, så ikke i vurderingen. Uke −1: uken "
        "før oppstart."),
    # page furniture
    "page": Label("page {n} of {total}", "side {n} av {total}"),
}

HYPHENATION = {
    "Telefontjenesten": "Telefon|tjenesten",
    "Saksbehandling": "Saks|behandling",
    "Hjemmetjenester": "Hjemme|tjenester",
    "Brukerstøtte": "Bruker|støtte",
    "superbrukere": "super|brukere",
}
"""Where a long Norwegian compound may break at the end of a line (a narrow table column)."""

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "nb": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "desember"),
}

UNIT_SCALE = {"share": 100.0}
"""Metrics stored as shares are shown as percentages."""


def check_lang(lang: str) -> str:
    """The language code, or a ValueError naming the accepted ones."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def label(key: str, lang: str = "en") -> str:
    """The words for `key` in `lang` ("en" or "nb")."""
    check_lang(lang)
    try:
        entry = LABELS[key]
    except KeyError:
        raise KeyError(f"no label for {key!r}: add it to sim.labels.LABELS") from None
    return entry.nb if lang == "nb" else entry.en


def unit(metric: str) -> str:
    """The unit key of a metric: share, seconds, minutes, hours, days, calls, cases, ..."""
    return LABELS[metric].unit


COUNT_UNITS = frozenset({"calls", "cases", "visits", "requests", "items"})
LEVELS = frozenset({"backlog", "initial_backlog", "calls_waiting_at_end", "visits_open_at_end",
                    "open_at_end", "desk_callbacks_pending_at_end"})
"""Metrics that are states at the end of a period (not summed over it)."""


def metric_title(metric: str, lang: str = "en", per_day: bool = False) -> str:
    """A metric's label with its unit, for a chart or a table: "Callers who hung up (%)",
    "Calls offered (per day)" for a daily count."""
    kind = unit(metric)
    if kind in COUNT_UNITS:
        if per_day and metric not in LEVELS:
            return f"{label(metric, lang)} ({label('chart.per_day', lang)})"
        return label(metric, lang)
    words = label("unit." + kind, lang)
    if per_day and kind == "hours":
        words = f"{words} {label('chart.per_day', lang)}"
    return f"{label(metric, lang)} ({words})"


def format_number(value: float, lang: str = "en", decimals: int = 0) -> str:
    """A number with the language's thousands separator and decimal mark."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "nb":
        text = text.replace(",", NBSP).replace(".", ",")
    return text.replace("-", "−")


def format_percent(share: float, lang: str = "en") -> str:
    """A share as a percentage: "74%" / "74 %"; one decimal below 10 % when needed ("0.5%")."""
    if share is None or math.isnan(share):
        return "–"
    percent = share * 100
    decimals = 1 if 0 < abs(percent) < 10 and round(percent, 1) != round(percent) else 0
    return format_number(percent, lang, decimals) + (NBSP + "%" if lang == "nb" else "%")


def format_value(metric: str, value: float, lang: str = "en") -> str:
    """A metric's value in its unit, e.g. "80%", "2.5 days", "1,200 calls"."""
    kind = unit(metric)
    if kind == "share":
        return format_percent(value, lang)
    decimals = 1 if abs(value) < 10 and round(value, 1) != round(value) else 0
    return f"{format_number(value, lang, decimals)}{NBSP}{label('unit.' + kind, lang)}"


def format_standard(metric: str, rule: str, threshold: float, lang: str = "en") -> str:
    """A standard in words: "Calls answered in time ≥ 80%"."""
    return f"{label(metric, lang)} {label(rule, lang)} {format_value(metric, threshold, lang)}"


def format_date(day: dt.date, lang: str = "en", year: bool = True) -> str:
    """"7 May 2022" in English, "7. mai 2022" in Norwegian; without the year if asked."""
    month = MONTHS[check_lang(lang)][day.month - 1]
    text = f"{day.day}. {month}" if lang == "nb" else f"{day.day} {month}"
    return f"{text} {day.year}" if year else text


def format_short_date(day: dt.date, lang: str = "en", year: bool = False) -> str:
    """"7 May" / "7. mai" (with the year if asked: "7 May 2022"): tick labels of a date axis."""
    month = MONTHS[check_lang(lang)][day.month - 1][:3]
    text = f"{day.day}. {month}" if lang == "nb" else f"{day.day} {month}"
    return f"{text} {day.year}" if year else text


def format_week_number(week: int, lang: str = "en") -> str:
    """A go-live week's number: "1" for the week from go-live, "−1" for the week before."""
    return format_number(week, lang)


def format_week(week: int, lang: str = "en") -> str:
    """"week 1" / "uke 1": go-live weeks in every language (week 1 starts at go-live)."""
    return f"{label('report.week', lang).lower()} {format_week_number(week, lang)}"


def format_weeks(weeks: Iterable[int], lang: str = "en") -> str:
    """A set of go-live weeks as ranges: "weeks 1–3 and 5" / "uke 1–3 og 5"."""
    runs: list[list[int]] = []
    for week in sorted(weeks):
        if runs and week == runs[-1][-1] + 1:
            runs[-1].append(week)
        else:
            runs.append([week])
    if not runs:
        return ""
    if len(runs) == 1 and len(runs[0]) == 1:
        return format_week(runs[0][0], lang)

    def show(run: list[int]) -> str:
        first = format_week_number(run[0], lang)
        return first if len(run) == 1 else f"{first}–{format_week_number(run[-1], lang)}"

    return f"{label('report.weeks', lang)} {join_words([show(run) for run in runs], lang)}"


def format_futures(n: int, lang: str = "en") -> str:
    """"30 simulated futures", "1 simulated future"."""
    return label("report.future" if n == 1 else "report.futures", lang).format(
        n=format_number(n, lang))


def join_words(words: list[str], lang: str = "en") -> str:
    """"a, b and c" / "a, b og c"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {'og' if lang == 'nb' else 'and'} {words[-1]}"
