const test = require('node:test');
const assert = require('node:assert/strict');
const { normaliserTelephone, normaliserCIN, estEmail, calculerAge } = require('./validation.js');

test("normaliserTelephone accepte les formats marocains courants [1 pt]", () => {
  const cas = [
    ['0612345678', '+212612345678'],
    ['06 12 34 56 78', '+212612345678'],
    [' 06.12.34.56.78 ', '+212612345678'],
    ['+212 7 00 11 22 33', '+212700112233'],
    ['00212-522-12-34-56', '+212522123456'],
    ['+212612345678', '+212612345678'],
  ];
  for (const [entree, attendu] of cas) {
    const obtenu = normaliserTelephone(entree);
    assert.equal(obtenu, attendu, `normaliserTelephone(${JSON.stringify(entree)}) devrait renvoyer "${attendu}", obtenu ${JSON.stringify(obtenu)}`);
  }
});

test("normaliserTelephone renvoie null pour un numéro invalide [1 pt]", () => {
  for (const entree of ['', '06123', '06123456789', '0812345678', '06-12-AB-56-78', '+33612345678', '612345678', '+2120612345678', '06 12 34 56 78 9']) {
    const obtenu = normaliserTelephone(entree);
    assert.equal(obtenu, null, `normaliserTelephone(${JSON.stringify(entree)}) devrait renvoyer null, obtenu ${JSON.stringify(obtenu)}`);
  }
});

test("normaliserCIN nettoie et vérifie le numéro de CIN [2 pts]", () => {
  const valides = [['BE123456', 'BE123456'], [' be 123456 ', 'BE123456'], ['a12345', 'A12345'], ['JK 98765', 'JK98765']];
  for (const [entree, attendu] of valides) {
    const obtenu = normaliserCIN(entree);
    assert.equal(obtenu, attendu, `normaliserCIN(${JSON.stringify(entree)}) devrait renvoyer "${attendu}", obtenu ${JSON.stringify(obtenu)}`);
  }
  for (const entree of ['', '123456', 'ABC12345', 'BE1234', 'BE1234567', 'B-123456', 'BÉ123456', '12BE3456']) {
    const obtenu = normaliserCIN(entree);
    assert.equal(obtenu, null, `normaliserCIN(${JSON.stringify(entree)}) devrait renvoyer null, obtenu ${JSON.stringify(obtenu)}`);
  }
});

test("estEmail reconnaît une adresse e-mail bien formée [2 pts]", () => {
  for (const email of ['salma.bennani@gmail.com', 'y.alaoui@ofppt.ma', ' contact@souk-en-ligne.ma ', 'Omar.Idrissi@Example.COM']) {
    assert.equal(estEmail(email), true, `estEmail(${JSON.stringify(email)}) devrait valoir true`);
  }
  for (const email of ['', 'salma', 'salma@', '@gmail.com', 'salma bennani@gmail.com', 'salma@@gmail.com', 'salma@gmail', 'salma@gmail.c', 'salma@.ma', 'salma@gmail.com x']) {
    assert.equal(estEmail(email), false, `estEmail(${JSON.stringify(email)}) devrait valoir false`);
  }
});

test("calculerAge compte les années révolues et rejette les dates mal formées [2 pts]", () => {
  const cas = [
    ['2001-03-15', '2026-03-14', 24],
    ['2001-03-15', '2026-03-15', 25],
    ['2001-03-15', '2026-12-01', 25],
    ['2001-12-31', '2026-01-01', 24],
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
  ];
  for (const [naissance, reference, attendu] of cas) {
    const obtenu = calculerAge(naissance, reference);
    assert.equal(obtenu, attendu, `calculerAge("${naissance}", "${reference}") devrait valoir ${attendu}, obtenu ${obtenu}`);
  }
  for (const naissance of ['15/03/2001', '2001-13-01', '2001-00-10', '2001-03-32', '2001-3-15', '']) {
    const obtenu = calculerAge(naissance, '2026-03-15');
    assert.ok(Number.isNaN(obtenu), `calculerAge(${JSON.stringify(naissance)}, "2026-03-15") devrait valoir NaN, obtenu ${obtenu}`);
  }
});
