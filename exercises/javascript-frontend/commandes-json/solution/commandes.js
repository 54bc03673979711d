'use strict';

// Lecture, résumé et mise à jour des commandes du back-office.
// Règle d'or : ne jamais modifier une commande reçue, toujours renvoyer une copie.

/** Texte JSON -> tableau de commandes ; Error ou TypeError si les données sont inexploitables. */
function lireCommandes(texte) {
  let donnees;
  try {
    donnees = JSON.parse(texte);
  } catch (erreur) {
    // On remplace le message technique par un message clair, en gardant le détail.
    throw new Error(`JSON invalide : ${erreur.message}`);
  }
  if (!Array.isArray(donnees)) {
    throw new TypeError('Une liste de commandes (tableau JSON) est attendue');
  }
  return donnees;
}

/** Résumé d'une commande pour le tableau de bord. */
function resumer(commande) {
  const { id, client, lignes, livraison } = commande;
  return {
    id,
    client: client.nom,
    ville: client.ville ?? 'Inconnue',
    articles: lignes.reduce((somme, { quantite }) => somme + quantite, 0),
    total: lignes.reduce((somme, { prix, quantite }) => somme + prix * quantite, 0),
    express: livraison?.mode === 'express',
  };
}

/** Copie de la commande avec le nouveau statut ajouté à l'historique. */
function changerStatut(commande, statut) {
  return {
    ...commande,
    statut,
    historique: [...(commande.historique ?? []), statut],
  };
}

/** Copie de la commande avec la ligne ajoutée (ou sa quantité cumulée). */
function ajouterLigne(commande, ligne) {
  const existe = commande.lignes.some(({ ref }) => ref === ligne.ref);
  const lignes = existe
    ? commande.lignes.map((l) =>
        l.ref === ligne.ref ? { ...l, quantite: l.quantite + ligne.quantite } : l,
      )
    : [...commande.lignes, { ...ligne }];
  return { ...commande, lignes };
}

/** Texte JSON des résumés, indenté de 2 espaces. */
const exporter = (commandes) => JSON.stringify(commandes.map(resumer), null, 2);

module.exports = { lireCommandes, resumer, changerStatut, ajouterLigne, exporter };
