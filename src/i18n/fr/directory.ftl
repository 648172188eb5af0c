# linea: directory messages (fr).
