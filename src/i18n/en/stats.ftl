# linea: stats messages (en).
