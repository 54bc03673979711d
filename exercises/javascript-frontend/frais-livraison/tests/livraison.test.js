const test = require('node:test');
const assert = require('node:assert/strict');
const { arrondir, fraisLivraison, creerRemise, enchainer } = require('./livraison.js');

test("arrondir arrondit au centime et renvoie un nombre [1 pt]", () => {
  for (const [montant, attendu] of [[199.999, 200], [12.344, 12.34], [12.346, 12.35], [89.9 * 3, 269.7], [45, 45]]) {
    const obtenu = arrondir(montant);
    assert.equal(typeof obtenu, 'number', `arrondir(${montant}) devrait renvoyer un nombre, obtenu ${typeof obtenu}`);
    assert.equal(obtenu, attendu, `arrondir(${montant}) devrait valoir ${attendu}, obtenu ${obtenu}`);
  }
});

test("fraisLivraison distingue Casablanca et les autres villes [2 pts]", () => {
  const cas = [
    [['Casablanca', 120], 20],
    [['Tanger', 120], 35],
    [['Marrakech', 499.99], 35],
    [[' casablanca ', 80], 20],
    [['CASABLANCA', 80], 20],
  ];
  for (const [args, attendu] of cas) {
    const obtenu = fraisLivraison(...args);
    assert.equal(obtenu, attendu, `fraisLivraison(${args.map((a) => JSON.stringify(a)).join(', ')}) devrait valoir ${attendu}, obtenu ${obtenu}`);
  }
});

test("fraisLivraison offre la livraison dès 500 MAD et facture l'express [2 pts]", () => {
  const cas = [
    [['Oujda', 500], 0],
    [['Oujda', 650], 0],
    [['Oujda', 650, true], 30],
    [['casablanca', 80, true], 50],
    [['Agadir', 100, true], 65],
    [['Agadir', 100, false], 35],
  ];
  for (const [args, attendu] of cas) {
    const obtenu = fraisLivraison(...args);
    assert.equal(obtenu, attendu, `fraisLivraison(${args.map((a) => JSON.stringify(a)).join(', ')}) devrait valoir ${attendu}, obtenu ${obtenu}`);
  }
});

test("creerRemise renvoie une fonction qui applique la remise [2 pts]", () => {
  const soldes = creerRemise(20);
  assert.equal(typeof soldes, 'function', `creerRemise(20) devrait renvoyer une fonction, obtenu ${typeof soldes}`);
  assert.equal(soldes(250), 200, `creerRemise(20)(250) devrait valoir 200, obtenu ${soldes(250)}`);
  assert.equal(soldes(89.9), 71.92, `creerRemise(20)(89.9) devrait valoir 71.92, obtenu ${soldes(89.9)}`);
  const aucune = creerRemise(0);
  assert.equal(aucune(120), 120, `creerRemise(0)(120) devrait valoir 120, obtenu ${aucune(120)}`);
  const dix = creerRemise(10);
  assert.equal(dix(33.33), 30, `creerRemise(10)(33.33) devrait valoir 30 (arrondi au centime), obtenu ${dix(33.33)}`);
  assert.equal(soldes(100), 80, 'deux remises créées séparément ne doivent pas interférer : creerRemise(20)(100) devrait valoir 80');
});

test("creerRemise refuse un pourcentage invalide avec une RangeError [1 pt]", () => {
  for (const pourcentage of [95, -5, 100, '20', NaN]) {
    assert.throws(
      () => creerRemise(pourcentage),
      RangeError,
      `creerRemise(${JSON.stringify(pourcentage) ?? pourcentage}) devrait lever une RangeError dès la création`,
    );
  }
  assert.doesNotThrow(() => creerRemise(90), 'creerRemise(90) est valide (90 % est la limite incluse)');
});

test("enchainer applique les transformations de gauche à droite [2 pts]", () => {
  const ajouterFrais = (prix) => prix + 20;
  const total = enchainer(creerRemise(10), ajouterFrais, arrondir);
  assert.equal(typeof total, 'function', `enchainer(...) devrait renvoyer une fonction, obtenu ${typeof total}`);
  assert.equal(total(300), 290, `enchainer(remise 10 %, +20, arrondir)(300) devrait valoir 290, obtenu ${total(300)}`);
  const doubler = (x) => x * 2;
  const plusUn = (x) => x + 1;
  assert.equal(enchainer(doubler, plusUn)(5), 11, `enchainer(doubler, plusUn)(5) devrait valoir 11 (5 → 10 → 11), obtenu ${enchainer(doubler, plusUn)(5)}`);
  assert.equal(enchainer(plusUn, doubler)(5), 12, `enchainer(plusUn, doubler)(5) devrait valoir 12 (5 → 6 → 12), obtenu ${enchainer(plusUn, doubler)(5)}`);
  assert.equal(enchainer()(42), 42, `enchainer()(42) devrait renvoyer 42 telle quelle, obtenu ${enchainer()(42)}`);
});
