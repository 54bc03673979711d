const test = require('node:test');
const assert = require('node:assert/strict');
const { enMinutes, formaterHeure, attente, annonce, estHeureDePointe } = require('./tramway.js');

test("enMinutes convertit HH:MM en minutes depuis minuit [2 pts]", () => {
  for (const [heure, attendu] of [['00:00', 0], ['06:05', 365], ['12:30', 750], ['23:59', 1439]]) {
    const obtenu = enMinutes(heure);
    assert.equal(obtenu, attendu, `enMinutes("${heure}") devrait valoir ${attendu}, obtenu ${obtenu}`);
  }
});

test("enMinutes renvoie NaN pour un format invalide [1 pt]", () => {
  for (const heure of ['6h05', '6:05', '25:00', '12:60', '', '12:3a', ' 12:30']) {
    const obtenu = enMinutes(heure);
    assert.ok(Number.isNaN(obtenu), `enMinutes("${heure}") devrait valoir NaN, obtenu ${obtenu}`);
  }
});

test("formaterHeure écrit les heures sur deux chiffres [2 pts]", () => {
  for (const [minutes, attendu] of [[0, '00:00'], [365, '06:05'], [750, '12:30'], [1439, '23:59'], [1445, '00:05']]) {
    const obtenu = formaterHeure(minutes);
    assert.equal(obtenu, attendu, `formaterHeure(${minutes}) devrait renvoyer "${attendu}", obtenu ${JSON.stringify(obtenu)}`);
  }
});

test("attente compte les minutes, y compris après minuit [2 pts]", () => {
  const cas = [
    ['08:12', '08:05', 7],
    ['08:05', '08:05', 0],
    ['14:00', '13:15', 45],
    ['00:10', '23:55', 15],
    ['05:30', '23:30', 360],
  ];
  for (const [depart, maintenant, attendu] of cas) {
    const obtenu = attente(depart, maintenant);
    assert.equal(obtenu, attendu, `attente("${depart}", "${maintenant}") devrait valoir ${attendu}, obtenu ${obtenu}`);
  }
});

test("annonce gère à quai, le singulier et le pluriel [2 pts]", () => {
  const cas = [
    ['Aïn Diab', 0, 'Tram pour Aïn Diab : à quai'],
    ['Aïn Diab', 1, 'Tram pour Aïn Diab : 1 minute'],
    ['Sidi Moumen', 4, 'Tram pour Sidi Moumen : 4 minutes'],
    ['Lissasfa', 12, 'Tram pour Lissasfa : 12 minutes'],
  ];
  for (const [destination, minutes, attendu] of cas) {
    const obtenu = annonce(destination, minutes);
    assert.equal(obtenu, attendu, `annonce("${destination}", ${minutes}) devrait renvoyer "${attendu}", obtenu ${JSON.stringify(obtenu)}`);
  }
});

test("estHeureDePointe renvoie un vrai booléen aux bonnes heures [1 pt]", () => {
  const cas = [
    ['06:59', false], ['07:00', true], ['08:59', true], ['09:00', false],
    ['12:00', false], ['17:00', true], ['19:29', true], ['19:30', false],
  ];
  for (const [heure, attendu] of cas) {
    const obtenu = estHeureDePointe(heure);
    assert.equal(obtenu, attendu, `estHeureDePointe("${heure}") devrait valoir ${attendu}, obtenu ${obtenu}`);
  }
});
