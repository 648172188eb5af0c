# linea: stats messages (fr).
