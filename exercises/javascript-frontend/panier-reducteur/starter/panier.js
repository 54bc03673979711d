'use strict';

// État du panier d'achat, géré par un réducteur pur : (etat, action) => nouvelEtat.

const QUANTITE_MAX = 10;
const FRAIS_LIVRAISON = 30;          // MAD
const SEUIL_LIVRAISON_OFFERTE = 300; // MAD, après remise
const CODES_PROMO = Object.freeze({ BIENVENUE10: 10, SOLDES20: 20 }); // code -> pourcentage

const etatInitial = Object.freeze({ lignes: Object.freeze([]), codePromo: null });

function reducerPanier(etat = etatInitial, action) {
  switch (action.type) {
    case 'AJOUTER':
      // TODO : nouvelle ligne à la fin, ou quantités additionnées (maximum 10)
      throw new Error('À écrire');
    case 'RETIRER':
      // TODO : filter
      throw new Error('À écrire');
    case 'CHANGER_QUANTITE':
      // TODO : map, et suppression si quantite <= 0
      throw new Error('À écrire');
    case 'APPLIQUER_CODE':
      // TODO : code nettoyé et présent dans CODES_PROMO
      throw new Error('À écrire');
    case 'VIDER':
      // TODO
      throw new Error('À écrire');
    default:
      return etat;
  }
}

function nombreArticles(etat) {
  // TODO : somme des quantités
  return etat.lignes.length;
}

function totalPanier(etat) {
  // TODO : calculer en centimes entiers, puis revenir en MAD
  throw new Error('À écrire');
}

module.exports = { etatInitial, CODES_PROMO, reducerPanier, nombreArticles, totalPanier };
