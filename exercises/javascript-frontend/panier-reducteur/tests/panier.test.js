const test = require('node:test');
const assert = require('node:assert/strict');
const { etatInitial, reducerPanier, nombreArticles, totalPanier } = require('./panier.js');

const TAJINE = Object.freeze({ ref: 'TAJ-12', nom: 'Tajine de Safi', prix: 89.9 });
const THEIERE = Object.freeze({ ref: 'THE-01', nom: 'Théière en métal argenté', prix: 320 });
const SAVON = Object.freeze({ ref: 'SAV-03', nom: 'Savon noir beldi', prix: 19.9 });

// Gèle un état et tout ce qu'il contient : une modification lèverait une TypeError (mode strict).
function geler(valeur) {
  if (valeur && typeof valeur === 'object') {
    Object.values(valeur).forEach(geler);
    Object.freeze(valeur);
  }
  return valeur;
}

// Joue une suite d'actions à partir d'un état, en gelant chaque état intermédiaire.
function jouer(actions, depart = etatInitial) {
  return actions.reduce((etat, action) => geler(reducerPanier(geler(etat), action)), depart);
}

const resume = (etat) => etat.lignes.map((l) => `${l.ref}×${l.quantite}`).join(', ');

test("AJOUTER ajoute des lignes puis cumule les quantités [2 pts]", () => {
  const etat = jouer([
    { type: 'AJOUTER', produit: TAJINE, quantite: 2 },
    { type: 'AJOUTER', produit: THEIERE },
    { type: 'AJOUTER', produit: TAJINE },
  ]);
  const attendu = {
    lignes: [
      { ref: 'TAJ-12', nom: 'Tajine de Safi', prix: 89.9, quantite: 3 },
      { ref: 'THE-01', nom: 'Théière en métal argenté', prix: 320, quantite: 1 },
    ],
    codePromo: null,
  };
  assert.deepEqual(etat, attendu, `après AJOUTER tajine ×2, théière, tajine : attendu TAJ-12×3, THE-01×1, obtenu ${resume(etat)}`);
  assert.equal(nombreArticles(etat), 4, `nombreArticles devrait valoir 4, obtenu ${nombreArticles(etat)}`);
  assert.equal(nombreArticles(etatInitial), 0, `nombreArticles(etatInitial) devrait valoir 0, obtenu ${nombreArticles(etatInitial)}`);
});

test("les quantités sont plafonnées à 10 par produit [1 pt]", () => {
  const etat = jouer([
    { type: 'AJOUTER', produit: SAVON, quantite: 8 },
    { type: 'AJOUTER', produit: SAVON, quantite: 5 },
    { type: 'AJOUTER', produit: TAJINE, quantite: 12 },
  ]);
  assert.equal(resume(etat), 'SAV-03×10, TAJ-12×10', `les quantités devraient être ramenées à 10, obtenu ${resume(etat)}`);
  const change = jouer([{ type: 'CHANGER_QUANTITE', ref: 'SAV-03', quantite: 25 }], etat);
  assert.equal(resume(change), 'SAV-03×10, TAJ-12×10', `CHANGER_QUANTITE à 25 devrait être ramené à 10, obtenu ${resume(change)}`);
});

test("RETIRER et CHANGER_QUANTITE mettent à jour les lignes [2 pts]", () => {
  const depart = jouer([
    { type: 'AJOUTER', produit: TAJINE },
    { type: 'AJOUTER', produit: THEIERE },
    { type: 'AJOUTER', produit: SAVON, quantite: 2 },
  ]);
  const sansTheiere = jouer([{ type: 'RETIRER', ref: 'THE-01' }], depart);
  assert.equal(resume(sansTheiere), 'TAJ-12×1, SAV-03×2', `RETIRER THE-01 devrait laisser TAJ-12×1, SAV-03×2, obtenu ${resume(sansTheiere)}`);
  const quatreTajines = jouer([{ type: 'CHANGER_QUANTITE', ref: 'TAJ-12', quantite: 4 }], depart);
  assert.equal(resume(quatreTajines), 'TAJ-12×4, THE-01×1, SAV-03×2', `CHANGER_QUANTITE TAJ-12 à 4 devrait donner TAJ-12×4, THE-01×1, SAV-03×2, obtenu ${resume(quatreTajines)}`);
  const zero = jouer([{ type: 'CHANGER_QUANTITE', ref: 'SAV-03', quantite: 0 }], depart);
  assert.equal(resume(zero), 'TAJ-12×1, THE-01×1', `CHANGER_QUANTITE à 0 devrait supprimer la ligne SAV-03, obtenu ${resume(zero)}`);
  const absente = reducerPanier(depart, { type: 'RETIRER', ref: 'XXX-00' });
  assert.equal(absente, depart, "RETIRER une ref absente doit renvoyer l'état reçu lui-même");
  const absente2 = reducerPanier(depart, { type: 'CHANGER_QUANTITE', ref: 'XXX-00', quantite: 3 });
  assert.equal(absente2, depart, "CHANGER_QUANTITE sur une ref absente doit renvoyer l'état reçu lui-même");
});

test("APPLIQUER_CODE n'accepte que les codes connus [1 pt]", () => {
  const depart = jouer([{ type: 'AJOUTER', produit: THEIERE }]);
  const avecCode = jouer([{ type: 'APPLIQUER_CODE', code: ' bienvenue10 ' }], depart);
  assert.equal(avecCode.codePromo, 'BIENVENUE10', `le code " bienvenue10 " devrait être enregistré comme "BIENVENUE10", obtenu ${JSON.stringify(avecCode.codePromo)}`);
  assert.equal(resume(avecCode), 'THE-01×1', 'appliquer un code ne doit pas toucher aux lignes');
  for (const code of ['NOEL50', 'toString', '']) {
    const inconnu = reducerPanier(avecCode, { type: 'APPLIQUER_CODE', code });
    assert.equal(inconnu, avecCode, `le code inconnu ${JSON.stringify(code)} doit laisser l'état inchangé (même objet)`);
  }
});

test("VIDER, état de départ et action inconnue [1 pt]", () => {
  const initial = reducerPanier(undefined, { type: '@@INIT' });
  assert.deepEqual(initial, { lignes: [], codePromo: null }, `reducerPanier(undefined, ...) devrait partir de l'état initial, obtenu ${JSON.stringify(initial)}`);
  const plein = jouer([{ type: 'AJOUTER', produit: TAJINE }, { type: 'APPLIQUER_CODE', code: 'SOLDES20' }]);
  const vide = jouer([{ type: 'VIDER' }], plein);
  assert.deepEqual(vide, { lignes: [], codePromo: null }, `VIDER devrait revenir à l'état initial, obtenu ${JSON.stringify(vide)}`);
  const inchange = reducerPanier(plein, { type: 'PAYER' });
  assert.equal(inchange, plein, "une action inconnue doit renvoyer l'état reçu lui-même");
});

test("le réducteur ne modifie jamais l'état reçu [2 pts]", () => {
  const depart = jouer([{ type: 'AJOUTER', produit: TAJINE }, { type: 'AJOUTER', produit: THEIERE }]);
  const avant = JSON.stringify(depart);
  const actions = [
    { type: 'AJOUTER', produit: TAJINE, quantite: 2 },
    { type: 'AJOUTER', produit: SAVON },
    { type: 'RETIRER', ref: 'THE-01' },
    { type: 'CHANGER_QUANTITE', ref: 'TAJ-12', quantite: 5 },
    { type: 'APPLIQUER_CODE', code: 'SOLDES20' },
    { type: 'VIDER' },
  ];
  for (const action of actions) {
    let suivant;
    assert.doesNotThrow(() => { suivant = reducerPanier(depart, action); }, `${action.type} a tenté de modifier l'état reçu (gelé) : renvoyez une copie avec { ...etat } et des tableaux neufs`);
    assert.notEqual(suivant, depart, `${action.type} doit renvoyer un nouvel objet état`);
    assert.equal(JSON.stringify(depart), avant, `${action.type} a modifié l'état reçu`);
  }
  const apres = reducerPanier(depart, { type: 'AJOUTER', produit: TAJINE });
  assert.notEqual(apres.lignes, depart.lignes, 'AJOUTER doit créer un nouveau tableau lignes');
  assert.equal(depart.lignes[0].quantite, 1, "la ligne de l'état reçu ne doit pas être modifiée");
});

test("totalPanier calcule sous-total, remise et livraison au centime près [2 pts]", () => {
  const cas = [
    [[], { sousTotal: 0, remise: 0, livraison: 0, total: 0 }],
    [[{ type: 'AJOUTER', produit: SAVON, quantite: 3 }], { sousTotal: 59.7, remise: 0, livraison: 30, total: 89.7 }],
    [[{ type: 'AJOUTER', produit: TAJINE, quantite: 3 }], { sousTotal: 269.7, remise: 0, livraison: 30, total: 299.7 }],
    [
      [{ type: 'AJOUTER', produit: TAJINE, quantite: 3 }, { type: 'AJOUTER', produit: THEIERE }, { type: 'APPLIQUER_CODE', code: 'BIENVENUE10' }],
      { sousTotal: 589.7, remise: 58.97, livraison: 0, total: 530.73 },
    ],
    [
      [{ type: 'AJOUTER', produit: THEIERE }, { type: 'AJOUTER', produit: SAVON }, { type: 'APPLIQUER_CODE', code: 'SOLDES20' }],
      { sousTotal: 339.9, remise: 67.98, livraison: 30, total: 301.92 },
    ],
  ];
  for (const [actions, attendu] of cas) {
    const etat = jouer(actions);
    const obtenu = totalPanier(etat);
    assert.deepEqual(obtenu, attendu, `totalPanier pour [${resume(etat)}] code ${etat.codePromo} : attendu ${JSON.stringify(attendu)}, obtenu ${JSON.stringify(obtenu)}`);
  }
});
