"""The trust's own model, one folder per part: kernel/ (what every part stands on), store/
(tables beside the event log), sealing/ (member keys), membership/, consent/, organisations/,
staff/, governance/, insight/, announcements/ and digests/. Each part's commands are an object
built on the one shared application; trust.py is the facade that builds them and that the
adapters call. Recorded events name their classes by module path: see recorded_topics.py."""
