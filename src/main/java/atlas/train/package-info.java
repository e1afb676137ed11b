/**
 * Training: initialisation, optimisers, losses, the training loop on flat arrays; produces atlas.net networks. Depends on atlas.net and atlas.data.
 */
package atlas.train;
