const test = require('node:test');
const assert = require('node:assert/strict');
const { disponibles, valeurStock, trierParPrix, trouverParRef, compterParCategorie } = require('./catalogue.js');

// Un catalogue neuf et gelé pour chaque test : toute modification lèverait une TypeError.
function catalogue() {
  const produits = [
    { ref: 'TAP-001', nom: 'Tapis Beni Ouarain', categorie: 'tapis', prix: 2400, stock: 3 },
    { ref: 'POT-014', nom: 'Tajine de Safi', categorie: 'poterie', prix: 180, stock: 12 },
    { ref: 'CUI-003', nom: 'Babouches en cuir', categorie: 'cuir', prix: 250, stock: 0 },
    { ref: 'POT-020', nom: 'Écharpe brodée', categorie: 'poterie', prix: 180, stock: 5 },
    { ref: 'TAP-007', nom: 'Kilim de Taznakht', categorie: 'tapis', prix: 1350, stock: 1 },
    { ref: 'CUI-010', nom: 'Pouf en cuir', categorie: 'cuir', prix: 450, stock: 4 },
    { ref: 'POT-002', nom: 'Assiette de Fès', categorie: 'poterie', prix: 95, stock: 0 },
  ];
  return Object.freeze(produits.map((p) => Object.freeze({ ...p })));
}

const refs = (produits) => produits.map((p) => p.ref);

test("disponibles garde les produits en stock, dans l'ordre [1 pt]", () => {
  const obtenu = refs(disponibles(catalogue()));
  const attendu = ['TAP-001', 'POT-014', 'POT-020', 'TAP-007', 'CUI-010'];
  assert.deepEqual(obtenu, attendu, `disponibles(...) devrait garder ${attendu.join(', ')}, obtenu ${obtenu.join(', ')}`);
  assert.deepEqual(disponibles([]), [], 'disponibles([]) devrait renvoyer []');
});

test("valeurStock additionne prix × stock [2 pts]", () => {
  // 2400*3 + 180*12 + 0 + 180*5 + 1350*1 + 450*4 + 0 = 7200 + 2160 + 900 + 1350 + 1800 = 13410
  const obtenu = valeurStock(catalogue());
  assert.equal(obtenu, 13410, `valeurStock(catalogue) devrait valoir 13410, obtenu ${obtenu}`);
  assert.equal(valeurStock([]), 0, `valeurStock([]) devrait valoir 0, obtenu ${valeurStock([])}`);
});

test("trierParPrix trie par prix croissant sans modifier le tableau reçu [2 pts]", () => {
  const produits = catalogue();
  let trie;
  assert.doesNotThrow(() => { trie = trierParPrix(produits); }, 'trierParPrix ne doit pas modifier le tableau reçu : triez une copie ([...produits])');
  const attendu = ['POT-002', 'POT-020', 'POT-014', 'CUI-003', 'CUI-010', 'TAP-007', 'TAP-001'];
  assert.deepEqual(refs(trie), attendu, `trierParPrix(catalogue) devrait donner ${attendu.join(', ')}, obtenu ${refs(trie).join(', ')}`);
  assert.notEqual(trie, produits, 'trierParPrix doit renvoyer un nouveau tableau');
});

test("trierParPrix gère le sens décroissant et départage par nom [2 pts]", () => {
  const trie = trierParPrix(catalogue(), 'decroissant');
  const attendu = ['TAP-001', 'TAP-007', 'CUI-010', 'CUI-003', 'POT-020', 'POT-014', 'POT-002'];
  assert.deepEqual(refs(trie), attendu, `trierParPrix(catalogue, "decroissant") devrait donner ${attendu.join(', ')} (à prix égal : Écharpe avant Tajine), obtenu ${refs(trie).join(', ')}`);
  const memePrix = Object.freeze([
    Object.freeze({ ref: 'A', nom: 'Zellige', categorie: 'deco', prix: 60, stock: 1 }),
    Object.freeze({ ref: 'B', nom: 'éventail', categorie: 'deco', prix: 60, stock: 1 }),
    Object.freeze({ ref: 'C', nom: 'Bougeoir', categorie: 'deco', prix: 60, stock: 1 }),
  ]);
  const noms = trierParPrix(memePrix).map((p) => p.nom);
  assert.deepEqual(noms, ['Bougeoir', 'éventail', 'Zellige'], `à prix égal, l'ordre alphabétique français donne Bougeoir, éventail, Zellige ; obtenu ${noms.join(', ')}`);
});

test("trouverParRef renvoie le produit ou null [1 pt]", () => {
  const produits = catalogue();
  const kilim = trouverParRef(produits, 'TAP-007');
  assert.equal(kilim, produits[4], `trouverParRef(catalogue, "TAP-007") devrait renvoyer le Kilim de Taznakht, obtenu ${JSON.stringify(kilim)}`);
  const absent = trouverParRef(produits, 'XXX-999');
  assert.equal(absent, null, `trouverParRef(catalogue, "XXX-999") devrait renvoyer null, obtenu ${absent}`);
});

test("compterParCategorie compte les produits de chaque catégorie [2 pts]", () => {
  const obtenu = compterParCategorie(catalogue());
  const attendu = { tapis: 2, poterie: 3, cuir: 2 };
  assert.deepEqual(obtenu, attendu, `compterParCategorie(catalogue) devrait renvoyer ${JSON.stringify(attendu)}, obtenu ${JSON.stringify(obtenu)}`);
  assert.deepEqual(compterParCategorie([]), {}, `compterParCategorie([]) devrait renvoyer {}, obtenu ${JSON.stringify(compterParCategorie([]))}`);
});
