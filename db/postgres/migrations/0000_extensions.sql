-- The seed's keys default to uuid_generate_v4(), which lives in uuid-ossp (Neon and PGlite ship it).
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
