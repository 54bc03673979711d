'use strict';

// État du panier d'achat, géré par un réducteur pur : (etat, action) => nouvelEtat.
// Pur = même entrée, même sortie, et aucune modification de ce qu'on reçoit.

const QUANTITE_MAX = 10;
const FRAIS_LIVRAISON = 30;          // MAD
const SEUIL_LIVRAISON_OFFERTE = 300; // MAD, après remise
const CODES_PROMO = Object.freeze({ BIENVENUE10: 10, SOLDES20: 20 }); // code -> pourcentage

const etatInitial = Object.freeze({ lignes: Object.freeze([]), codePromo: null });

const plafonner = (quantite) => Math.min(quantite, QUANTITE_MAX);
const enCentimes = (montant) => Math.round(montant * 100);

function ajouter(etat, { produit, quantite = 1 }) {
  const existante = etat.lignes.find((ligne) => ligne.ref === produit.ref);
  if (existante) {
    return {
      ...etat,
      lignes: etat.lignes.map((ligne) =>
        ligne === existante ? { ...ligne, quantite: plafonner(ligne.quantite + quantite) } : ligne,
      ),
    };
  }
  const { ref, nom, prix } = produit;
  return { ...etat, lignes: [...etat.lignes, { ref, nom, prix, quantite: plafonner(quantite) }] };
}

function changerQuantite(etat, { ref, quantite }) {
  if (quantite <= 0) {
    return retirer(etat, { ref });
  }
  return {
    ...etat,
    lignes: etat.lignes.map((ligne) =>
      ligne.ref === ref ? { ...ligne, quantite: plafonner(quantite) } : ligne,
    ),
  };
}

const retirer = (etat, { ref }) => ({
  ...etat,
  lignes: etat.lignes.filter((ligne) => ligne.ref !== ref),
});

function appliquerCode(etat, { code }) {
  const normalise = String(code ?? '').trim().toUpperCase();
  // hasOwn plutôt que `in` : "toString" ne doit pas passer pour un code promo !
  return Object.hasOwn(CODES_PROMO, normalise) ? { ...etat, codePromo: normalise } : etat;
}

function reducerPanier(etat = etatInitial, action) {
  const concerneUneLigne = action.type === 'RETIRER' || action.type === 'CHANGER_QUANTITE';
  if (concerneUneLigne && !etat.lignes.some((ligne) => ligne.ref === action.ref)) {
    return etat; // rien à faire : on renvoie le même objet
  }
  switch (action.type) {
    case 'AJOUTER':
      return ajouter(etat, action);
    case 'RETIRER':
      return retirer(etat, action);
    case 'CHANGER_QUANTITE':
      return changerQuantite(etat, action);
    case 'APPLIQUER_CODE':
      return appliquerCode(etat, action);
    case 'VIDER':
      return etatInitial;
    default:
      return etat;
  }
}

/** Nombre d'articles affiché sur l'icône du panier. */
const nombreArticles = (etat) => etat.lignes.reduce((somme, { quantite }) => somme + quantite, 0);

/** Récapitulatif en MAD, calculé en centimes entiers pour être exact. */
function totalPanier(etat) {
  const sousTotal = etat.lignes.reduce(
    (somme, { prix, quantite }) => somme + enCentimes(prix) * quantite,
    0,
  );
  const pourcentage = etat.codePromo ? CODES_PROMO[etat.codePromo] : 0;
  const remise = Math.round((sousTotal * pourcentage) / 100);
  const apresRemise = sousTotal - remise;
  const livraison =
    etat.lignes.length === 0 || apresRemise >= enCentimes(SEUIL_LIVRAISON_OFFERTE)
      ? 0
      : enCentimes(FRAIS_LIVRAISON);
  return {
    sousTotal: sousTotal / 100,
    remise: remise / 100,
    livraison: livraison / 100,
    total: (apresRemise + livraison) / 100,
  };
}

module.exports = { etatInitial, CODES_PROMO, reducerPanier, nombreArticles, totalPanier };
