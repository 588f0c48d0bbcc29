//! `statewise ask`: the questionnaire through a pseudo-terminal, and without one.
