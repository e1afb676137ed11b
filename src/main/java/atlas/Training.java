package atlas;

/**
 * The result of {@link Atlas#train}: the trained network and the loss after every epoch.
 *
 * @param model          the trained network, with the tolerance of the model it started from
 * @param trainLoss      the training loss of each epoch; copied
 * @param validationLoss the validation loss after each epoch (NaN without a validation set); copied
 */
public record Training(Atlas model, double[] trainLoss, double[] validationLoss) {
    public Training {
        trainLoss = trainLoss.clone();
        validationLoss = validationLoss.clone();
    }

    @Override public double[] trainLoss() { return trainLoss.clone(); }

    @Override public double[] validationLoss() { return validationLoss.clone(); }

    /** The last epoch's training loss. */
    public double finalLoss() { return trainLoss[trainLoss.length - 1]; }
}
