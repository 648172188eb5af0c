# linea: directory messages (en).
