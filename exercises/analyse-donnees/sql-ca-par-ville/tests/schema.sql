CREATE TABLE clients (
    id INTEGER PRIMARY KEY,
    nom TEXT NOT NULL,
    ville TEXT NOT NULL
);
CREATE TABLE commandes (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    date_commande TEXT NOT NULL,      -- AAAA-MM-JJ
    montant REAL NOT NULL             -- en MAD
);
INSERT INTO clients (id, nom, ville) VALUES
    (1, 'Salma Bennani', 'Casablanca'),
    (2, 'Omar Alaoui', 'Rabat'),
    (3, 'Imane Chraibi', 'Casablanca'),
    (4, 'Mehdi Berrada', 'Fès'),
    (5, 'Nadia Tazi', 'Marrakech'),
    (6, 'Youssef El Amrani', 'Tanger'),
    (7, 'Khadija Ouazzani', 'Rabat');
INSERT INTO commandes (id, client_id, date_commande, montant) VALUES
    (1, 1, '2026-01-05', 450.00),
    (2, 1, '2026-01-20', 120.50),
    (3, 2, '2026-01-22', 980.00),
    (4, 3, '2026-02-02', 75.00),
    (5, 4, '2026-02-14', 1250.00),
    (6, 2, '2026-02-15', 310.00),
    (7, 5, '2026-03-01', 640.00),
    (8, 1, '2026-03-03', 89.90),
    (9, 4, '2026-03-18', 430.00),
    (10, 3, '2026-03-25', 215.00);
