'use strict';

// Règles de validation réutilisables : une fonction par type de donnée.
// Chacune nettoie ce qui peut l'être sans ambiguïté, puis vérifie le format.

const INDICATIF = '+212';

/** "06 12 34 56 78" -> "+212612345678" ; null si le numéro est invalide. */
function normaliserTelephone(texte) {
  const brut = String(texte ?? '').replace(/[\s.-]/g, '');
  // (?:0|\+212|00212) : le préfixe ; ([5-7]\d{8}) : les 9 chiffres, capturés.
  const correspondance = /^(?:0|\+212|00212)([5-7]\d{8})$/.exec(brut);
  return correspondance ? INDICATIF + correspondance[1] : null;
}

/** " be 123456 " -> "BE123456" ; null si le format est invalide. */
function normaliserCIN(texte) {
  const cin = String(texte ?? '').replace(/\s/g, '').toUpperCase();
  return /^[A-Z]{1,2}\d{5,6}$/.test(cin) ? cin : null;
}

/** Forme simplifiée partie-locale@domaine.extension. */
function estEmail(texte) {
  return /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(String(texte ?? '').trim());
}

/** "AAAA-MM-JJ" -> { annee, mois, jour }, ou null si le format est invalide. */
function lireDate(texte) {
  const correspondance = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(texte ?? ''));
  if (!correspondance) {
    return null;
  }
  const [annee, mois, jour] = correspondance.slice(1).map(Number);
  if (mois < 1 || mois > 12 || jour < 1 || jour > 31) {
    return null;
  }
  return { annee, mois, jour };
}

/** Âge en années révolues à la date de référence, ou NaN. */
function calculerAge(dateNaissance, dateReference) {
  const naissance = lireDate(dateNaissance);
  const reference = lireDate(dateReference);
  if (!naissance || !reference) {
    return NaN;
  }
  let age = reference.annee - naissance.annee;
  const anniversairePasse =
    reference.mois > naissance.mois ||
    (reference.mois === naissance.mois && reference.jour >= naissance.jour);
  if (!anniversairePasse) {
    age -= 1;
  }
  return age;
}

module.exports = { normaliserTelephone, normaliserCIN, estEmail, calculerAge };
