# linea: directory messages (es).
