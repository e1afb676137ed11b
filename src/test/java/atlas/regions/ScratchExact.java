package atlas.regions;
import atlas.geometry.*;
import atlas.net.*;
class ScratchExact {
    public static void main(String[] a) {
        Rectangle box = new Rectangle(-1e5, 1e5, -1e5, 1e5);
        for (double sp : new double[]{1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 10, 10}) { int n = 40;
            Network net = ExactModeTest.pencil(n, sp, 7);
            PlanePartition d = new PlanePartitioner(net, PlaneSlice.inputPlane(), box, Tolerance.DEFAULT).getResult();
            PlanePartitioner pp = new PlanePartitioner(net, PlaneSlice.inputPlane(), box, Tolerance.EXACT);
            PlanePartition p = pp.getResult();
            System.out.println(sp + " evals " + pp.exactEvaluations() + " default " + d.count() + " declined " + d.declinedCuts() + " exact " + p.count() + " anom " + p.anomalies() + " t " + p.seconds() + " dt " + d.seconds());
        }
    }
}
