/* import_ctt.c: ITC2007 .ctt instance → JSON request for roosterd. */
#include "import_ctt.h"

json_t *ctt_to_json(const ctt_instance *inst)
{
	json_t *req = json_object();
	json_object_set_new(req, "kind", json_string("itc2007"));
	json_object_set_new(req, "name", json_string(inst->name ? inst->name : ""));
	json_object_set_new(req, "days", json_integer(inst->n_days));
	json_object_set_new(req, "periods_per_day", json_integer(inst->periods_per_day));
	json_t *courses = json_array();
	for (int c = 0; c < inst->n_courses; c++) {
		const ctt_course *k = &inst->courses[c];
		json_array_append_new(courses,
				      json_pack("{s:s, s:s, s:i, s:i, s:i}", "id", k->id, "teacher",
						inst->teachers[k->teacher], "lectures", k->lectures,
						"min_days", k->min_days, "students", k->students));
	}
	json_object_set_new(req, "courses", courses);
	json_t *rooms = json_array();
	for (int r = 0; r < inst->n_rooms; r++)
		json_array_append_new(rooms, json_pack("{s:s, s:i}", "id", inst->rooms[r].id,
						       "capacity", inst->rooms[r].capacity));
	json_object_set_new(req, "rooms", rooms);
	json_t *curricula = json_array();
	for (int q = 0; q < inst->n_curricula; q++) {
		json_t *members = json_array();
		for (int i = 0; i < inst->curricula[q].n_courses; i++)
			json_array_append_new(
				members, json_string(inst->courses[inst->curricula[q].courses[i]].id));
		json_array_append_new(curricula, json_pack("{s:s, s:o}", "id", inst->curricula[q].id,
							   "courses", members));
	}
	json_object_set_new(req, "curricula", curricula);
	json_t *un = json_array();
	for (int c = 0; c < inst->n_courses; c++)
		for (int t = 0; t < inst->n_slots; t++)
			if (inst->unavailable[(size_t)c * (size_t)inst->n_slots + (size_t)t])
				json_array_append_new(
					un, json_pack("{s:s, s:i, s:i}", "course", inst->courses[c].id,
						      "day", t / inst->periods_per_day, "period",
						      t % inst->periods_per_day));
	json_object_set_new(req, "unavailability", un);
	return req;
}
