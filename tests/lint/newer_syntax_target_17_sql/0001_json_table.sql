-- PostgreSQL 17: JSON_TABLE
CREATE VIEW order_items AS
  SELECT o.id, i.sku FROM orders o, JSON_TABLE(o.items, '$[*]' COLUMNS (sku text PATH '$.sku')) i;
CREATE INDEX orders_placed_at_idx ON orders (placed_at);
