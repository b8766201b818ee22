-- Person search by a one- or two-character name fragment (a surname, a given name): trigrams cannot serve
-- fragments shorter than three characters, so the start and the end of the name get b-tree indexes.
create index person_name_prefix on person (name text_pattern_ops);
create index person_name_suffix on person (reverse(name) text_pattern_ops);
