'use strict';

// Rendu HTML des cartes produit du catalogue.
// ATTENTION : ce code est vulnérable aux failles XSS. À corriger !

const IMAGE_PAR_DEFAUT = '/images/produit-sans-photo.png';

function echapperHTML(valeur) {
  // TODO : & < > " ' -> &amp; &lt; &gt; &quot; &#39; (& en premier !)
  //        null et undefined -> "" ; les autres valeurs -> String(valeur)
  return valeur;
}

function formaterPrix(prix) {
  // TODO : "89,50 MAD"
  return `${prix} MAD`;
}

function urlImageSure(url) {
  // TODO : seulement "https://..." ou "/chemin/local" (mais pas "//...")
  return url;
}

function renderCarte(produit) {
  // TODO : échapper ref, nom et image ; passer l'image par urlImageSure.
  const { ref, nom, prix, stock, image } = produit;
  const ligneStock = stock === 0
    ? '<p class="stock epuise">Épuisé</p>'
    : '<p class="stock">En stock</p>';
  return [
    `<article class="carte-produit" data-ref="${ref}">`,
    `  <img src="${image}" alt="${nom}">`,
    `  <h3>${nom}</h3>`,
    `  <p class="prix">${formaterPrix(prix)}</p>`,
    `  ${ligneStock}`,
    '</article>',
  ].join('\n');
}

function renderListe(produits, recherche = '') {
  // TODO : <ul class="catalogue"><li>carte</li>...</ul>, ou le message « Aucun résultat »
  throw new Error('À écrire');
}

module.exports = { IMAGE_PAR_DEFAUT, echapperHTML, formaterPrix, urlImageSure, renderCarte, renderListe };
