"""Operations reports (Art. 8): computed from entities and events, on demand and on schedules."""
