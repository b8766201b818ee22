-- Archive API (C8): indexes the person search and the counts need, chosen by bench/archive-search.ts on the city dataset.

-- Mobile-number suffix search ('5678'), like the ID-number suffix index of the archive migration.
create index person_mobile_suffix on person (reverse(mobile) text_pattern_ops) where mobile is not null;
-- Address search walks the compounds in scope (→ building → unit → room by code): a small partial index, not a scan of every node.
create index territory_node_compound on territory_node (parent_code, code) where kind = 'compound';
-- Counts for a grid / micro-grid: the buildings it serves (一楼栋一微网格).
create index territory_node_grid on territory_node (grid_code) where grid_code is not null;
create index territory_node_micro_grid on territory_node (micro_grid_code) where micro_grid_code is not null;
