# linea: stats messages (es).
