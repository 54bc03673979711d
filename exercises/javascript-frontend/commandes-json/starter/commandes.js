'use strict';

// Lecture, résumé et mise à jour des commandes du back-office.
// Règle d'or : ne jamais modifier une commande reçue, toujours renvoyer une copie.

function lireCommandes(texte) {
  // TODO : try/catch autour de JSON.parse, puis vérifier Array.isArray
  return JSON.parse(texte);
}

function resumer(commande) {
  // TODO : déstructuration, ?. et ??
  throw new Error('À écrire');
}

function changerStatut(commande, statut) {
  // TODO : copie avec { ...commande } et un nouveau tableau historique
  commande.statut = statut;
  return commande;
}

function ajouterLigne(commande, ligne) {
  // TODO : additionner les quantités si la ref existe déjà
  throw new Error('À écrire');
}

function exporter(commandes) {
  // TODO : JSON.stringify des résumés, indenté de 2 espaces
  throw new Error('À écrire');
}

module.exports = { lireCommandes, resumer, changerStatut, ajouterLigne, exporter };
