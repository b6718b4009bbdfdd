"""Which community pages and endpoints show health data (test_audited_reads)."""

from frontline.core.tests.read_registry import Read

AUDITED = {
    "community:care_visits": Read("community.care_visit.list"),
    "api:community_care_visits_list": Read("community.care_visit.list"),
}

PLAIN = {
    "community:home": "counts of family events per village",
    "community:publicity": "leaflets per village and day",
    "community:publicity_new": "the form for publicity",
    "community:family_events": "weddings postponed and funerals simplified, no health data",
    "community:family_event_new": "the form for a family event",
    "community:care_visit_new": "the form for a care visit",
    "community:care_visit_errand": "a visit's need to an errand (no health data)",
    "community:care_visit_service": "a visit's need as a 五送 (no health data)",
    "community:care_volunteers": "volunteers' names and visit counts",
    "community:family_help": "front-line workers' families helped",
    "community:family_help_new": "the form for family help",
    "community:exemplars": "exemplary people and teams",
    "community:exemplars_new": "the form for an exemplar",
    "api:community_publicity_list": "leaflets per village and day",
    "api:community_family_events_list": "family events, no health data",
    "api:community_exemplars_list": "exemplary people and teams",
}
