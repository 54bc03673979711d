const test = require('node:test');
const assert = require('node:assert/strict');
const { validerCandidature } = require('./formulaire.js');

const CLOTURE = '2026-03-15';

const SALMA = Object.freeze({
  prenom: '  Salma ',
  nom: 'Bennani  ',
  email: ' Salma.Bennani@Gmail.com ',
  telephone: '06 12 34 56 78',
  cin: 'be 123456',
  dateNaissance: '2001-03-16',
});

test("validerCandidature accepte et normalise une candidature complète [2 pts]", () => {
  const resultat = validerCandidature(SALMA, CLOTURE);
  assert.deepEqual(resultat.erreurs, {}, `une candidature correcte ne devrait avoir aucune erreur, obtenu ${JSON.stringify(resultat.erreurs)}`);
  assert.equal(resultat.valide, true, `valide devrait valoir true, obtenu ${resultat.valide}`);
  const attendu = {
    prenom: 'Salma',
    nom: 'Bennani',
    email: 'salma.bennani@gmail.com',
    telephone: '+212612345678',
    cin: 'BE123456',
    age: 24,
  };
  assert.deepEqual(resultat.candidature, attendu, `candidature normalisée attendue ${JSON.stringify(attendu)}, obtenu ${JSON.stringify(resultat.candidature)}`);
  const pile18 = validerCandidature({ ...SALMA, dateNaissance: '2008-03-15' }, CLOTURE);
  assert.equal(pile18.valide, true, `un candidat qui a 18 ans le jour de la clôture est accepté, obtenu ${JSON.stringify(pile18.erreurs)}`);
  assert.equal(pile18.candidature.age, 18, `l'âge devrait valoir 18, obtenu ${pile18.candidature && pile18.candidature.age}`);
});

test("validerCandidature signale chaque champ invalide avec son message [2 pts]", () => {
  const resultat = validerCandidature({
    prenom: '   ',
    email: 'salma@gmail',
    telephone: '0812345678',
    cin: '123456',
    dateNaissance: '16/03/2001',
  }, CLOTURE);
  const attendu = {
    prenom: 'Le prénom est obligatoire.',
    nom: 'Le nom est obligatoire.',
    email: "L'adresse e-mail n'est pas valide.",
    telephone: "Le numéro de téléphone marocain n'est pas valide.",
    cin: "Le numéro de CIN n'est pas valide.",
    dateNaissance: "La date de naissance n'est pas valide.",
  };
  assert.deepEqual(resultat.erreurs, attendu, `erreurs attendues ${JSON.stringify(attendu)}, obtenu ${JSON.stringify(resultat.erreurs)}`);
  assert.equal(resultat.valide, false, `valide devrait valoir false, obtenu ${resultat.valide}`);
  assert.equal(resultat.candidature, null, `candidature devrait valoir null, obtenu ${JSON.stringify(resultat.candidature)}`);
  for (const dateNaissance of ['2008-03-16', '1980-03-14']) {
    const horsAge = validerCandidature({ ...SALMA, dateNaissance }, CLOTURE);
    assert.deepEqual(horsAge.erreurs, { dateNaissance: 'Le programme est ouvert aux candidats de 18 à 45 ans.' }, `né le ${dateNaissance}, le candidat est hors de la tranche 18-45 ans ; obtenu ${JSON.stringify(horsAge.erreurs)}`);
    assert.equal(horsAge.valide, false, `né le ${dateNaissance} : valide devrait valoir false`);
  }
});
