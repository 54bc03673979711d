const test = require('node:test');
const assert = require('node:assert/strict');
const { lireCommandes, resumer, changerStatut, ajouterLigne, exporter } = require('./commandes.js');

const TEXTE_API = JSON.stringify([
  {
    id: 1042,
    client: { nom: 'Salma Bennani', ville: 'Tanger' },
    lignes: [
      { ref: 'THE-01', libelle: 'Théière en métal argenté', prix: 320, quantite: 1 },
      { ref: 'VER-06', libelle: 'Verres à thé (lot de 6)', prix: 85, quantite: 2 },
    ],
    statut: 'en_attente',
    livraison: { mode: 'express' },
    historique: ['en_attente'],
  },
  {
    id: 1043,
    client: { nom: 'Yassine Alaoui' },
    lignes: [{ ref: 'PLA-02', libelle: 'Plateau en cuivre', prix: 450.5, quantite: 1 }],
    statut: 'payee',
  },
  {
    id: 1044,
    client: { nom: 'Nadia Chraibi', ville: 'Meknès' },
    lignes: [],
    statut: 'en_attente',
    livraison: { mode: 'standard' },
  },
]);

// Gèle un objet et tout ce qu'il contient : toute modification lèvera une TypeError (mode strict).
function geler(valeur) {
  if (valeur && typeof valeur === 'object') {
    Object.values(valeur).forEach(geler);
    Object.freeze(valeur);
  }
  return valeur;
}

const commandes = () => geler(JSON.parse(TEXTE_API));

test("lireCommandes transforme le texte JSON en tableau [1 pt]", () => {
  const obtenu = lireCommandes(TEXTE_API);
  assert.ok(Array.isArray(obtenu), `lireCommandes devrait renvoyer un tableau, obtenu ${typeof obtenu}`);
  assert.deepEqual(obtenu, JSON.parse(TEXTE_API), 'lireCommandes devrait renvoyer les 3 commandes du texte JSON');
  assert.deepEqual(lireCommandes('[]'), [], "lireCommandes('[]') devrait renvoyer []");
});

test("lireCommandes signale un JSON invalide ou qui n'est pas un tableau [2 pts]", () => {
  for (const texte of ['{"id": 1042,', "[{'id': 1}]", '', 'commandes']) {
    assert.throws(
      () => lireCommandes(texte),
      (erreur) => erreur instanceof Error && erreur.message.startsWith('JSON invalide'),
      `lireCommandes(${JSON.stringify(texte)}) devrait lever une Error dont le message commence par "JSON invalide"`,
    );
  }
  for (const texte of ['{"id": 1042}', '42', 'null', '"commandes"']) {
    assert.throws(
      () => lireCommandes(texte),
      TypeError,
      `lireCommandes(${JSON.stringify(texte)}) est du JSON valide mais pas un tableau : une TypeError est attendue`,
    );
  }
});

test("resumer construit le résumé du tableau de bord [3 pts]", () => {
  const [salma, yassine, nadia] = commandes();
  const cas = [
    [salma, { id: 1042, client: 'Salma Bennani', ville: 'Tanger', articles: 3, total: 490, express: true }],
    [yassine, { id: 1043, client: 'Yassine Alaoui', ville: 'Inconnue', articles: 1, total: 450.5, express: false }],
    [nadia, { id: 1044, client: 'Nadia Chraibi', ville: 'Meknès', articles: 0, total: 0, express: false }],
  ];
  for (const [commande, attendu] of cas) {
    const obtenu = resumer(commande);
    assert.deepEqual(obtenu, attendu, `resumer(commande ${commande.id}) devrait renvoyer ${JSON.stringify(attendu)}, obtenu ${JSON.stringify(obtenu)}`);
  }
});

test("changerStatut renvoie une copie avec l'historique complété [2 pts]", () => {
  const [salma, yassine] = commandes();
  const expediee = changerStatut(salma, 'expediee');
  assert.notEqual(expediee, salma, 'changerStatut doit renvoyer un nouvel objet, pas la commande reçue');
  assert.equal(expediee.statut, 'expediee', `le statut devrait valoir "expediee", obtenu ${JSON.stringify(expediee.statut)}`);
  assert.deepEqual(expediee.historique, ['en_attente', 'expediee'], `l'historique devrait valoir ["en_attente","expediee"], obtenu ${JSON.stringify(expediee.historique)}`);
  assert.equal(salma.statut, 'en_attente', 'la commande reçue ne doit pas être modifiée');
  assert.deepEqual(expediee.lignes, salma.lignes, 'les autres champs doivent être conservés');
  assert.equal(expediee.client.nom, 'Salma Bennani', 'les autres champs doivent être conservés');
  const livree = changerStatut(yassine, 'livree');
  assert.deepEqual(livree.historique, ['livree'], `sans historique, changerStatut devrait créer ["livree"], obtenu ${JSON.stringify(livree.historique)}`);
});

test("ajouterLigne ajoute une ligne ou cumule les quantités, sans modifier la commande [2 pts]", () => {
  const [salma] = commandes();
  const plateau = { ref: 'PLA-02', libelle: 'Plateau en cuivre', prix: 450.5, quantite: 1 };
  const avecPlateau = ajouterLigne(salma, plateau);
  assert.deepEqual(avecPlateau.lignes.map((l) => l.ref), ['THE-01', 'VER-06', 'PLA-02'], `la nouvelle ligne devrait être ajoutée à la fin, obtenu ${JSON.stringify(avecPlateau.lignes.map((l) => l.ref))}`);
  assert.equal(salma.lignes.length, 2, 'la commande reçue doit garder ses 2 lignes');
  const verres = { ref: 'VER-06', libelle: 'Verres à thé (lot de 6)', prix: 85, quantite: 3 };
  const plusDeVerres = ajouterLigne(salma, verres);
  assert.equal(plusDeVerres.lignes.length, 2, `une ref déjà présente ne doit pas créer de deuxième ligne, obtenu ${plusDeVerres.lignes.length} lignes`);
  const ligne = plusDeVerres.lignes.find((l) => l.ref === 'VER-06');
  assert.equal(ligne.quantite, 5, `la quantité de VER-06 devrait passer de 2 à 5, obtenu ${ligne.quantite}`);
  assert.equal(salma.lignes[1].quantite, 2, 'la ligne de la commande reçue ne doit pas être modifiée');
  assert.equal(plusDeVerres.id, 1042, "l'id de la commande doit être conservé");
});

test("exporter produit le JSON indenté des résumés [1 pt]", () => {
  const obtenu = exporter(commandes());
  const attendu = JSON.stringify([
    { id: 1042, client: 'Salma Bennani', ville: 'Tanger', articles: 3, total: 490, express: true },
    { id: 1043, client: 'Yassine Alaoui', ville: 'Inconnue', articles: 1, total: 450.5, express: false },
    { id: 1044, client: 'Nadia Chraibi', ville: 'Meknès', articles: 0, total: 0, express: false },
  ], null, 2);
  assert.equal(typeof obtenu, 'string', `exporter devrait renvoyer une chaîne, obtenu ${typeof obtenu}`);
  assert.equal(obtenu, attendu, 'exporter devrait renvoyer JSON.stringify(résumés, null, 2)');
});
