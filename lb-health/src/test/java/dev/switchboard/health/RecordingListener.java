package dev.switchboard.health;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records transitions, for tests. */
final class RecordingListener implements HealthListener {

    final List<HealthTransition> transitions = new CopyOnWriteArrayList<>();

    @Override
    public void onTransition(HealthTransition transition) {
        transitions.add(transition);
    }

    List<HealthTransition> of(String subService) {
        return transitions.stream().filter(t -> t.target().subService().equals(subService)).toList();
    }
}
